import { DeleteArchiveCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  type Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunk, runWithConcurrency, sleep } from '../../bench/benchStats.js';
import { BENCH_USER_POOL_ID } from '../../bench/loginStream.js';
import { fetchSyncedUsers, type SyncedUser } from '../../local/hasuraTarget.js';
import { queueDepth } from '../../local/queueDepth.js';
import type { LocalStack } from '../../local/stack.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';

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

/** Visible, in-flight and delayed message counts of a queue (the local stack's helper). */
export { queueDepth };

/**
 * Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes.
 *
 * @returns whether it held in time.
 */
export const waitFor = async (
  predicate: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
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

/**
 * Sends message bodies to a queue with SendMessageBatch (10 per call, 8 calls in flight).
 *
 * @returns the MessageId of each body, in order.
 */
export const sendBodies = async (
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<string[]> => {
  const ids: string[] = new Array(bodies.length).fill('');
  const batches = chunk(
    bodies.map((body, index) => ({ body, index })),
    10,
  );
  await runWithConcurrency(batches, 8, async (batch) => {
    // Oversized bodies go alone: a batch may carry 256 KiB in all.
    const groups = batch.some((item) => item.body.length > 20_000)
      ? batch.map((item) => [item])
      : [batch];
    for (const group of groups) {
      const output = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: group.map((item) => ({ Id: `m${item.index}`, MessageBody: item.body })),
        }),
      );
      if ((output.Failed ?? []).length > 0) {
        throw new Error(`SendMessageBatch failed: ${JSON.stringify(output.Failed)}`);
      }
      for (const entry of output.Successful ?? []) {
        ids[Number(entry.Id?.slice(1))] = entry.MessageId ?? '';
      }
    }
  });
  return ids;
};

/**
 * Sends bodies in waves of `waveSize`, waiting before each wave until fewer than `waveSize / 4`
 * messages are visible: moto's ReceiveMessage scans the whole queue, so a deep queue makes
 * every receive slow (about 1 s per call at 2,000 messages on a busy 2-core machine).
 *
 * @returns the MessageId of each body, in order.
 */
export const feedInWaves = async (
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
  waveSize = 200,
): Promise<string[]> => {
  const ids: string[] = [];
  for (let start = 0; start < bodies.length; start += waveSize) {
    await waitFor(async () => (await queueDepth(sqs, queueUrl)).visible < waveSize / 4, 60_000);
    ids.push(...(await sendBodies(sqs, queueUrl, bodies.slice(start, start + waveSize))));
  }
  return ids;
};

/** Receives (and deletes) every message of a queue, e.g. a DLQ, until it stays empty. */
export const drainQueue = async (sqs: SQSClient, queueUrl: string): Promise<Message[]> => {
  const messages: Message[] = [];
  let emptyReceives = 0;
  while (emptyReceives < 2) {
    const { Messages: batch = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (batch.length === 0) {
      emptyReceives += 1;
      continue;
    }
    emptyReceives = 0;
    messages.push(...batch);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
  return messages;
};

/** Empties a queue (tests that share a stack start clean). */
export const purgeQueue = async (sqs: SQSClient, queueUrl: string): Promise<void> => {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
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
