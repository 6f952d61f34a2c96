import { summarize } from '../../bench/benchStats.js';
import { type FakeBehaviour, startFakeAwsEndpoint } from '../../bench/fakeAwsEndpoint.js';
import { startLocalStack } from '../../local/stack.js';
import {
  type ComposedPostAuthentication,
  composePostAuthentication,
  POST_AUTHENTICATION_SERVICE,
} from '../../services/post-authentication/compose.js';
import { createLogger } from '../../shared/observability.js';
import { pipeline } from '../../shared/pipeline.js';
import { driveLogins } from './driveLogins.js';
import {
  compareWithNewest,
  dropLocalArchive,
  type FaultScenario,
  fastStack,
  fmt,
  readUsers,
  waitForDrain,
} from './faultHelpers.js';

/** Options of {@link eventBridgeFaultScenario}. */
export interface EventBridgeFaultOptions {
  /** What the fake EventBridge does. */
  readonly mode: 'throttling' | 'hung';
  /** @default 150 (throttling), 40 (hung) */
  readonly logins?: number;
  /** First user number (scenarios keep their users apart). */
  readonly firstUser: number;
}

const BEHAVIOURS: Record<EventBridgeFaultOptions['mode'], FakeBehaviour> = {
  throttling: { throttleFirst: Number.POSITIVE_INFINITY },
  hung: { hang: true },
};

/**
 * The REAL trigger, built by `composePostAuthentication` as its Lambda module builds it (same
 * timeouts and attempts), with PutEvents going to `eventBridgeEndpoint` and the fallback
 * SendMessage to the stack's moto.
 */
const buildTrigger = (
  eventBridgeEndpoint: string,
  sqsEndpoint: string,
  syncQueueUrl: string,
  region: string,
): ComposedPostAuthentication =>
  composePostAuthentication({
    env: {
      EVENT_BUS_NAME: pipeline.eventBusName,
      SYNC_QUEUE_URL: syncQueueUrl,
      AWS_REGION: region,
    },
    endpoint: { eventBridge: eventBridgeEndpoint, sqs: sqsEndpoint },
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger: createLogger(POST_AUTHENTICATION_SERVICE, { logLevel: 'SILENT' }),
  });

/**
 * EventBridge throttles every call, or accepts connections and never answers. No sign-in may
 * be blocked past the 1,000 ms budget, and every login must reach Hasura through the fallback
 * (SendMessage straight to the sync queue on moto, then the poller and the consumer).
 */
export const eventBridgeFaultScenario = (options: EventBridgeFaultOptions): FaultScenario => ({
  name: `EventBridge ${options.mode === 'hung' ? 'hung (never answers)' : 'throttling every call'}`,
  async run() {
    const logins = options.logins ?? (options.mode === 'hung' ? 40 : 150);
    const users = Math.max(1, Math.floor(logins / 3));
    const fake = await startFakeAwsEndpoint();
    fake.setBehaviour('AWSEvents.PutEvents', BEHAVIOURS[options.mode]);
    const stack = await startLocalStack(
      fastStack({ visibilityTimeoutSeconds: 10, consumerTimeoutMs: 8000 }),
    );
    const trigger = buildTrigger(
      fake.endpoint,
      stack.awsEndpoint,
      stack.provisioned.syncQueue.queueUrl,
      stack.region,
    );
    try {
      await dropLocalArchive(stack);
      const driven = await driveLogins(trigger.handler, {
        logins,
        users,
        firstUser: options.firstUser,
        concurrency: options.mode === 'hung' ? 20 : 16,
      });
      const drained = await waitForDrain(stack, 60_000);
      const rows = await readUsers(stack);
      const result = compareWithNewest(rows, driven.newest);
      const timing = summarize(driven.handlerMs);
      const budget = pipeline.postAuthentication.budgetMs;
      const putEventsCalls = fake.calls.received.get('AWSEvents.PutEvents') ?? 0;
      // Every sign-in's record was consumed (written, or skipped as older than the stored row).
      const consumed = stack.recorder.snapshot().recordsSucceeded;
      const problems: string[] = [];
      if (consumed !== logins) problems.push(`${consumed} of ${logins} records were consumed`);
      if (!drained) problems.push('the sync queue did not drain');
      if (timing.max > budget)
        problems.push(`the slowest sign-in took ${timing.max} ms (budget ${budget} ms)`);
      if (result.matching !== driven.newest.size) {
        problems.push(`${result.missing} users missing, ${result.stale} on another event`);
      }
      if (putEventsCalls < logins)
        problems.push(`only ${putEventsCalls} PutEvents calls were tried`);
      return {
        passed: problems.length === 0,
        figure:
          `${fmt(logins)} sign-ins, slowest ${timing.max} ms (p99 ${timing.p99} ms, budget ${budget} ms); ` +
          `${fmt(consumed)}/${fmt(logins)} logins consumed via the fallback, ` +
          `${fmt(result.matching)}/${fmt(driven.newest.size)} users on their newest event; ` +
          `${fmt(putEventsCalls)} PutEvents calls refused`,
        problems,
      };
    } finally {
      trigger.destroy();
      await stack.stop();
      await fake.stop();
    }
  },
});
