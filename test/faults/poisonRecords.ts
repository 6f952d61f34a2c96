import { generateLoginStream } from '../../bench/loginStream.js';
import { startLocalStack } from '../../local/stack.js';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { drainQueue, feedInWaves } from '../helpers/queues.js';
import {
  compareWithNewest,
  type FaultScenario,
  fastStack,
  fmt,
  readUsers,
  waitForDrain,
} from './faultHelpers.js';

/** Options of {@link poisonRecordsScenario}. */
export interface PoisonRecordsOptions {
  /** @default 1000 */
  readonly records?: number;
  /**
   * Share of records Hasura rejects.
   * @default 0.01
   */
  readonly poisonShare?: number;
}

/** Usernames Hasura rejects in this scenario (a CHECK constraint added to the test table). */
const POISON_PREFIX = 'poison-';

/**
 * 1% poison records: events whose row Hasura rejects with a data error (a CHECK constraint on
 * `username`, added to this scenario's table). The consumer must bisect each batch, write every
 * sibling, and fail only the poison records; after `maxReceiveCount` receives exactly those
 * reach the DLQ.
 */
export const poisonRecordsScenario = (options: PoisonRecordsOptions = {}): FaultScenario => ({
  name: `${((options.poisonShare ?? 0.01) * 100).toFixed(0)}% poison records among ${fmt(options.records ?? 1000)}`,
  async run() {
    const count = options.records ?? 1000;
    const poisonEvery = Math.round(1 / (options.poisonShare ?? 0.01));
    const stack = await startLocalStack(
      fastStack({ visibilityTimeoutSeconds: 6, consumerTimeoutMs: 5000 }),
    );
    try {
      const engine = stack.hasura.engine;
      if (engine === undefined) throw new Error('this scenario needs the embedded engine');
      await engine.sql(
        `ALTER TABLE users ADD CONSTRAINT faults_no_poison CHECK (username NOT LIKE '${POISON_PREFIX}%')`,
      );
      // One event per user, so a poison user has no valid sibling event.
      const events = generateLoginStream({ logins: count, users: count, eventIdPrefix: 'poison' });
      const poison = new Set<string>();
      const marked: UserAuthenticatedV1[] = events.map((event, index) => {
        if (index % poisonEvery !== poisonEvery - 1) return event;
        poison.add(event.eventId);
        return { ...event, username: `${POISON_PREFIX}${event.username}` };
      });
      const bodies = marked.map((event) =>
        JSON.stringify(toEnvelope(event, { source: pipeline.eventSource, region: stack.region })),
      );
      await feedInWaves(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl, bodies);
      const drained = await waitForDrain(stack, 90_000);
      const dead = await drainQueue(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl);
      const deadIds = new Set(
        dead.map((message) => {
          try {
            return String(
              (JSON.parse(message.Body ?? '') as { detail?: { eventId?: string } }).detail?.eventId,
            );
          } catch {
            return 'unparseable';
          }
        }),
      );
      const unexpected = [...deadIds].filter((id) => !poison.has(id)).length;
      const missingPoison = [...poison].filter((id) => !deadIds.has(id)).length;
      const rows = await readUsers(stack);
      const valid = new Map(
        marked.filter((event) => !poison.has(event.eventId)).map((event) => [event.sub, event]),
      );
      const written = compareWithNewest(rows, valid);
      const poisonRows = marked.filter(
        (event) => poison.has(event.eventId) && rows.has(event.sub),
      ).length;
      const problems: string[] = [];
      if (!drained) problems.push('the sync queue did not drain');
      if (dead.length !== poison.size || unexpected > 0 || missingPoison > 0) {
        problems.push(
          `DLQ holds ${dead.length} messages: ${unexpected} not poison, ${missingPoison} poison missing`,
        );
      }
      if (written.matching !== valid.size) {
        problems.push(`${written.missing} valid users missing, ${written.stale} on another event`);
      }
      if (poisonRows > 0) problems.push(`${poisonRows} poison rows were written`);
      return {
        passed: problems.length === 0,
        figure:
          `${dead.length}/${poison.size} poison records in the DLQ (${unexpected} others); ` +
          `${fmt(written.matching)}/${fmt(valid.size)} other users written; ` +
          `${fmt(stack.syncPoller.stats().invocations)} invocations`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
});
