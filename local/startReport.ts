import type { SimulationResult } from '../cli/simulateLogins.js';
import type { LifecycleDemo, LifecycleDemoStatus } from './lifecycleDemo.js';
import { LOCAL_SETTINGS } from './localSettings.js';
import type { LocalStack } from './stack.js';
import type { StackSnapshot } from './stackRecorder.js';

/** Everything the summary of `npm start` shows. */
export interface RunSummary {
  readonly simulation: SimulationResult;
  readonly snapshot: StackSnapshot;
  /** The local user pool in moto, where the simulated users live. */
  readonly userPoolId: string;
  /** Rows in the users table. */
  readonly usersInHasura: number;
  /** Simulated users expected up to date: every one who signed in but the one the demo deleted. */
  readonly expectedUsers: number;
  /** Simulated users whose newest sign-in is not in Hasura. */
  readonly unsynced: number;
  /** Messages in the sync DLQ. */
  readonly dlqDepth: number;
  /** The administrator's changes and how far they reached Hasura. */
  readonly lifecycle: {
    readonly demo: LifecycleDemo;
    readonly status: LifecycleDemoStatus;
    /** Messages in the lifecycle DLQ. */
    readonly dlqDepth: number;
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const row = (label: string, value: string): string => `  ${label.padEnd(26)}${value}\n`;

const reached = (done: boolean): string => (done ? 'in Hasura' : 'NOT in Hasura');

/** The lifecycle rows of the summary: each administrator change and whether it reached Hasura. */
const lifecycleRows = (
  { demo, status, dlqDepth }: RunSummary['lifecycle'],
  snapshot: StackSnapshot,
): string[] => [
  row(
    'sign-ups published',
    `${snapshot.signUps.published + snapshot.signUps.fallback} by post-confirmation (EventBridge ${snapshot.signUps.published}, via fallback to SQS ${snapshot.signUps.fallback}, lost ${snapshot.signUps.failed})`,
  ),
  row(
    'lifecycle events',
    `${snapshot.lifecycle.published} published by user-lifecycle (CloudTrail hints ignored ${snapshot.lifecycle.ignored}, failed back ${snapshot.lifecycle.failed})`,
  ),
  row(
    'never signed in',
    `${status.neverSignedIn}/${demo.neverSignedIn.length} in Hasura (UserSignedUp from post-confirmation, no last_seen_at)`,
  ),
  ...(demo.emailChanged === undefined
    ? []
    : [
        row(
          'email changed',
          `${demo.emailChanged.username}: ${reached(status.emailChanged)} (UserUpdated)`,
        ),
      ]),
  ...(demo.disabled === undefined
    ? []
    : [
        row(
          'disabled',
          `${demo.disabled.username}: ${reached(status.disabled)} (UserUpdated, enabled false)`,
        ),
      ]),
  ...(demo.deleted === undefined
    ? []
    : [
        row(
          'deleted',
          `${demo.deleted.username}: ${reached(status.deleted)} (UserDeleted, tombstone)`,
        ),
      ]),
  row('lifecycle DLQ depth', String(dlqDepth)),
  ...(status.error === undefined ? [] : [row('lifecycle check failed', status.error)]),
];

/** The summary block printed after the simulated sign-ins. */
export const formatSummary = (summary: RunSummary): string => {
  const { simulation, snapshot } = summary;
  const trigger = simulation.handlerLatencyMs;
  const lag = snapshot.syncLagMs;
  const engine =
    snapshot.engineRequests === undefined ? '' : ` (the engine served ${snapshot.engineRequests})`;
  const rate = simulation.durationMs > 0 ? (simulation.logins * 1000) / simulation.durationMs : 0;
  return [
    '\nSummary\n',
    row('user pool (moto)', `${summary.userPoolId} (every simulated user is a real user of it)`),
    row(
      'sign-ins simulated',
      `${simulation.logins} by ${simulation.users.length} users in ${seconds(simulation.durationMs)} (${rate.toFixed(0)}/s; trigger p50 ${trigger.p50} ms, p99 ${trigger.p99} ms)`,
    ),
    row(
      'logins published',
      `${snapshot.published + snapshot.fallback} (EventBridge ${snapshot.published}, via fallback to SQS ${snapshot.fallback}, lost ${snapshot.publishFailed})`,
    ),
    row(
      'users in Hasura',
      `${summary.usersInHasura} (${summary.unsynced === 0 ? 'every' : `${summary.expectedUsers - summary.unsynced} of ${summary.expectedUsers}`} simulated user up to date)`,
    ),
    row('sync DLQ depth', String(summary.dlqDepth)),
    row(
      'sync lag',
      lag.count === 0
        ? 'n/a'
        : `p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms (${lag.count} records)`,
    ),
    row(
      'Hasura requests',
      `${snapshot.hasuraRequests} by user-sync in ${snapshot.invocations} batches${engine}; ${snapshot.usersSynced} rows written, ${snapshot.staleSkipped} stale events skipped`,
    ),
    row('second subscriber', `${snapshot.subscriberEvents} login events received`),
    ...lifecycleRows(summary.lifecycle, snapshot),
    ...(snapshot.recordsFailed > 0
      ? [row('records redelivered', `${snapshot.recordsFailed} (failed, back on the queue)`)]
      : []),
    ...(snapshot.lastPollerError === undefined
      ? []
      : [row('poller errors', `${snapshot.pollerErrors}, last: ${snapshot.lastPollerError}`)]),
  ].join('');
};

/** The endpoints block: what to point tools at while the stack keeps serving. */
export const formatEndpoints = (stack: LocalStack): string => {
  const { provisioned } = stack;
  return [
    '\nEndpoints\n',
    row(
      stack.startedMoto ? 'AWS (moto)' : 'AWS',
      `${stack.awsEndpoint}  (AWS_ENDPOINT_URL=${stack.awsEndpoint} AWS_REGION=${stack.region})`,
    ),
    row('Hasura GraphQL', stack.hasura.graphqlUrl),
    row(
      '',
      // Only the built-in local secret is shown; one given through the environment never is.
      `x-hasura-admin-secret: ${stack.hasura.adminSecret === LOCAL_SETTINGS.adminSecret ? LOCAL_SETTINGS.adminSecret : '(HASURA_ADMIN_SECRET)'}; ${stack.hasura.description}`,
    ),
    row('event bus', `${provisioned.eventBusName} (archive ${provisioned.archiveName})`),
    row('sync queue', provisioned.syncQueue.queueUrl),
    row('sync DLQ', provisioned.syncQueue.dlqUrl),
    row('second subscriber queue', provisioned.subscriber.queueUrl),
    row(
      'user pool',
      `${stack.userPoolId} (lifecycle rule ${stack.lifecycle.ruleName} on the default bus)`,
    ),
    row('lifecycle queue', stack.lifecycle.queueUrl),
    row('lifecycle DLQ', stack.lifecycle.dlqUrl),
  ].join('');
};
