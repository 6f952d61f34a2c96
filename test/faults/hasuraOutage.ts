import { replayDlq } from '../../cli/replayDlq.js';
import { startLocalStack } from '../../local/stack.js';
import { sleep, summarize } from '../bench/benchStats.js';
import { driveLogins } from './driveLogins.js';
import {
  compareWithNewest,
  type FaultScenario,
  fastStack,
  fmt,
  queueDepth,
  readUsers,
  waitForDrain,
} from './faultHelpers.js';

/** Options of {@link hasuraOutageScenario}. */
export interface HasuraOutageOptions {
  /** @default 5000 */
  readonly logins?: number;
  /** @default 1000 */
  readonly users?: number;
  /**
   * How long Hasura stays down, ms.
   * @default 20000
   */
  readonly outageMs?: number;
}

/**
 * Hasura stops answering (the engine stops listening and drops its connections) for 20 s in
 * the middle of 5,000 sign-ins. The consumer retries, then fails records back; the ones that
 * exhaust `maxReceiveCount` land in the DLQ. After Hasura returns and the queue drains, the
 * CLI's `replay-dlq` logic moves the DLQ back; then every user's row must hold that user's
 * newest event: lost = 0.
 */
export const hasuraOutageScenario = (options: HasuraOutageOptions = {}): FaultScenario => ({
  name: `Hasura down ${Math.round((options.outageMs ?? 20_000) / 1000)} s during ${fmt(options.logins ?? 5000)} logins, then replay-dlq`,
  async run() {
    const logins = options.logins ?? 5000;
    const users = options.users ?? 1000;
    const outageMs = options.outageMs ?? 20_000;
    const stack = await startLocalStack(
      // Short: a record must exhaust its 5 receives inside the outage to reach the DLQ.
      fastStack({ visibilityTimeoutSeconds: 3, consumerTimeoutMs: 2500 }),
    );
    try {
      const engine = stack.hasura.engine;
      if (engine === undefined) throw new Error('this scenario needs the embedded engine');
      let outage: Promise<void> | undefined;
      let downAt = 0;
      const driven = await driveLogins(stack.postAuthentication, {
        logins,
        users,
        onProgress: (done) => {
          if (done === Math.floor(logins / 3) && outage === undefined) {
            downAt = Date.now();
            outage = (async () => {
              await engine.suspend();
              await sleep(outageMs);
              await engine.resume();
            })();
          }
        },
      });
      await outage;
      const downMs = Date.now() - downAt;
      const drained = await waitForDrain(stack, 120_000);
      const { syncQueue } = stack.provisioned;
      const dlqBefore = await queueDepth(stack.aws.sqs, syncQueue.dlqUrl);
      const replay = await replayDlq(stack.aws.sqs, {
        dlqUrl: syncQueue.dlqUrl,
        destinationUrl: syncQueue.queueUrl,
        waitTimeSeconds: 1,
      });
      const drainedAfterReplay = await waitForDrain(stack, 60_000);
      const dlqAfter = await queueDepth(stack.aws.sqs, syncQueue.dlqUrl);
      const rows = await readUsers(stack);
      const result = compareWithNewest(rows, driven.newest);
      const lost = result.missing + result.stale;
      const trigger = summarize(driven.handlerMs);
      const problems: string[] = [];
      if (!drained) problems.push('the sync queue did not drain after the outage');
      if (!drainedAfterReplay) problems.push('the sync queue did not drain after the replay');
      if (dlqBefore.total === 0)
        problems.push('no message reached the DLQ: the outage was not felt');
      if (replay.moved !== dlqBefore.total) {
        problems.push(`replay moved ${replay.moved} of ${dlqBefore.total} DLQ messages`);
      }
      if (dlqAfter.total !== 0) problems.push(`${dlqAfter.total} messages still in the DLQ`);
      if (lost !== 0) {
        problems.push(
          `${result.missing} users missing, ${result.stale} users not on their newest event`,
        );
      }
      if (trigger.max > 1000) problems.push(`a sign-in took ${trigger.max} ms (budget 1000 ms)`);
      return {
        passed: problems.length === 0,
        figure:
          `lost ${lost} of ${fmt(users)} users; Hasura down ${(downMs / 1000).toFixed(1)} s; ` +
          `${fmt(dlqBefore.total)} messages reached the DLQ and were replayed; ` +
          `sign-in p99 ${trigger.p99} ms (max ${trigger.max} ms)`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
});
