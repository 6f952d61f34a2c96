import { generateLoginStream, newestByUser, seededRandom } from '../../bench/loginStream.js';
import { startLocalStack } from '../../local/stack.js';
import { toEnvelope } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { feedInWaves, queueDepth } from '../helpers/queues.js';
import {
  compareWithNewest,
  type FaultScenario,
  fastStack,
  fmt,
  readUsers,
  waitForDrain,
} from './faultHelpers.js';

/** Options of {@link shuffledStreamScenario}. */
export interface ShuffledStreamOptions {
  /** @default 800 */
  readonly logins?: number;
  /** @default 200 */
  readonly users?: number;
  /**
   * Share of events sent twice (or three times).
   * @default 0.5
   */
  readonly duplicateShare?: number;
}

/**
 * A shuffled and duplicated stream: every event of 200 users, half of them sent again (some a
 * third time), all in random order, in several waves so later waves carry older events than
 * rows already written. Newest must win for 100% of users.
 */
export const shuffledStreamScenario = (options: ShuffledStreamOptions = {}): FaultScenario => ({
  name: 'shuffled and duplicated stream',
  async run() {
    const logins = options.logins ?? 800;
    const users = options.users ?? 200;
    const random = seededRandom(99);
    const events = generateLoginStream({ logins, users, eventIdPrefix: 'shuffle', seed: 5 });
    const newest = newestByUser(events);
    const sent = [...events];
    for (const event of events) {
      const roll = random();
      if (roll < (options.duplicateShare ?? 0.5)) sent.push(event);
      if (roll < 0.1) sent.push(event);
    }
    for (let i = sent.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [sent[i], sent[j]] = [sent[j] as (typeof sent)[number], sent[i] as (typeof sent)[number]];
    }
    const stack = await startLocalStack(
      fastStack({ visibilityTimeoutSeconds: 10, consumerTimeoutMs: 8000 }),
    );
    try {
      const queueUrl = stack.provisioned.syncQueue.queueUrl;
      const bodies = sent.map((event) =>
        JSON.stringify(toEnvelope(event, { source: pipeline.eventSource, region: stack.region })),
      );
      // Three waves: the consumer writes newer rows before older events of a later wave arrive.
      const wave = Math.ceil(bodies.length / 3);
      for (let start = 0; start < bodies.length; start += wave) {
        await feedInWaves(stack.aws.sqs, queueUrl, bodies.slice(start, start + wave));
        await waitForDrain(stack, 60_000);
      }
      const dlq = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl);
      const rows = await readUsers(stack);
      const result = compareWithNewest(rows, newest);
      const share = (result.matching / newest.size) * 100;
      const problems: string[] = [];
      if (result.matching !== newest.size) {
        problems.push(`${result.missing} users missing, ${result.stale} on an older event`);
      }
      if (dlq.total !== 0) problems.push(`${dlq.total} messages in the DLQ`);
      const stats = stack.syncPoller.stats();
      return {
        passed: problems.length === 0,
        figure:
          `newest wins for ${share.toFixed(1)}% of ${fmt(newest.size)} users ` +
          `(${fmt(sent.length)} messages for ${fmt(events.length)} events, ${fmt(stats.invocations)} batches)`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
});
