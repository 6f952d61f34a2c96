import { DeleteArchiveCommand } from '@aws-sdk/client-eventbridge';
import { BENCH_USER_POOL_ID } from '../../bench/loginStream.js';
import { fetchSyncedUsers, type SyncedUser } from '../../local/hasuraTarget.js';
import type { LocalStack } from '../../local/stack.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { queueDepth, waitFor } from '../helpers/queues.js';

/** What a fault scenario reports: pass or fail, and its figure (one line). */
export interface ScenarioOutcome {
  readonly passed: boolean;
  /** The scenario's figure, e.g. `lost 0 of 1,000 users; 412 messages replayed`. */
  readonly figure: string;
  /** Why it failed, when it did. */
  readonly problems?: string[];
}

/** A fault-injection scenario. */
export interface FaultScenario {
  readonly name: string;
  run(): Promise<ScenarioOutcome>;
}

/** Timeouts of a scenario's stack. */
export interface StackTimeouts {
  /** The sync queue's visibility timeout, s. */
  readonly visibilityTimeoutSeconds: number;
  /** The consumer's (Lambda) timeout, ms. */
  readonly consumerTimeoutMs: number;
}

/**
 * Options of `startLocalStack` for a scenario: short timeouts so redelivery takes seconds, not
 * minutes; long polls of 1 s so the stack stops fast; logs off (the scenarios read counters).
 * The consumer keeps 0.5 s of its time free and gives one Hasura request at most 1 s.
 *
 * @param timeouts - the queue's visibility timeout and the consumer's timeout.
 * @param exampleSubscriber - drain the example subscriber's queue (default false): needed when events go
 *   through EventBridge, because moto's SendMessage slows down as a queue grows (75 ms per
 *   message at 3,000 waiting) and every PutEvents also feeds that queue.
 */
export const fastStack = (timeouts: StackTimeouts, exampleSubscriber = false) =>
  ({
    visibilityTimeoutSeconds: timeouts.visibilityTimeoutSeconds,
    consumer: {
      timeoutMs: timeouts.consumerTimeoutMs,
      maxBatchingWindowMs: 200,
      waitTimeSeconds: 1,
      maxConcurrency: 5,
    },
    env: {
      // The scenarios drive the bench's login stream: its pool is the one the consumer trusts.
      USER_POOL_IDS: BENCH_USER_POOL_ID,
      SYNC_TIME_SAFETY_MARGIN_MS: '500',
      HASURA_REQUEST_TIMEOUT_MS: '1000',
      HASURA_RETRY_MAX_DELAY_MS: '500',
    },
    exampleSubscriber,
    logLevel: 'SILENT',
  }) as const;

/**
 * Deletes the local stack's event archive. moto 5.2.5 makes every `PutEvents` slower as its
 * archive fills (4.5 ms per call at 100 archived events, over 100 ms past 2,000): a cost of moto,
 * not of the pipeline (AWS archives asynchronously). Runs that drive thousands of sign-ins and
 * do not test the archive drop it first.
 */
export const dropLocalArchive = async (stack: LocalStack): Promise<void> => {
  await stack.aws.eventBridge.send(
    new DeleteArchiveCommand({ ArchiveName: stack.provisioned.archiveName }),
  );
};

/** Waits until the sync queue is empty (nothing visible nor in flight) twice in a row. */
export const waitForDrain = async (stack: LocalStack, timeoutMs: number): Promise<boolean> => {
  let emptyOnce = false;
  return waitFor(
    async () => {
      const depth = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl);
      const empty = depth.total === 0 && stack.syncPoller.stats().inFlight === 0;
      const stable = empty && emptyOnce;
      emptyOnce = empty;
      return stable;
    },
    timeoutMs,
    500,
  );
};

/** The users table through GraphQL (admin), keyed by id. */
export const readUsers = async (stack: LocalStack): Promise<Map<string, SyncedUser>> => {
  const rows = await fetchSyncedUsers(stack.hasura);
  return new Map(rows.map((row) => [row.id, row]));
};

/** Counts users whose row is missing or holds another event than their newest one. */
export const compareWithNewest = (
  rows: ReadonlyMap<string, SyncedUser>,
  newest: ReadonlyMap<string, Pick<UserAuthenticatedV1, 'eventId'>>,
): { matching: number; missing: number; stale: number } => {
  let matching = 0;
  let missing = 0;
  let stale = 0;
  for (const [sub, event] of newest) {
    const row = rows.get(sub);
    if (row === undefined) missing += 1;
    else if (row.last_event_id === event.eventId) matching += 1;
    else stale += 1;
  }
  return { matching, missing, stale };
};

/**
 * Prints one progress line to stderr every `intervalMs` (queue and DLQ depth, the poller's
 * counters, and what `extra` adds) until the returned function is called.
 */
export const reportProgress = (
  stack: LocalStack,
  extra: () => string,
  intervalMs = 5000,
): (() => void) => {
  const started = Date.now();
  const timer = setInterval(() => {
    const { syncQueue } = stack.provisioned;
    void Promise.all([
      queueDepth(stack.aws.sqs, syncQueue.queueUrl),
      queueDepth(stack.aws.sqs, syncQueue.dlqUrl),
    ]).then(
      ([queue, dlq]) => {
        const stats = stack.syncPoller.stats();
        const seconds = Math.round((Date.now() - started) / 1000);
        process.stderr.write(
          `    … ${seconds}s ${extra()} queue ${queue.visible}+${queue.inFlight} dlq ${dlq.total} ` +
            `batches ${stats.invocations} ok ${stats.deleted} failed ${stats.failed}\n`,
        );
      },
      () => undefined,
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** Formats an integer with thousands separators. */
export const fmt = (value: number): string => value.toLocaleString('en-US');
