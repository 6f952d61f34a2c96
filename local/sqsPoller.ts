import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pipeline } from '../shared/pipeline.js';
import { createLambdaContext, failedIdsOf, toSqsEvent } from './lambdaInvocation.js';

/** A handler for the SQS event source: a Lambda handler with partial batch responses. */
export type SqsBatchHandler = (
  event: SQSEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler may be a plain `async () => {}`, as in Lambda.
) => Promise<SQSBatchResponse | undefined | null | void>;

/** What happened to one batch, given to {@link SqsPollerOptions.onBatch}. */
export interface SqsBatchReport {
  /** The event the handler received. */
  readonly event: SQSEvent;
  /** Message ids left on the queue for redelivery. */
  readonly failedIds: readonly string[];
  /** Records deleted from the queue. */
  readonly succeeded: number;
  /** The invocation's error when it threw, timed out or answered an invalid response. */
  readonly invocationError?: Error;
  readonly durationMs: number;
}

/** Options of {@link startSqsPoller}; batching settings default to the shared pipeline definition. */
export interface SqsPollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** ARN of the queue: the records' `eventSourceARN`; its region is their `awsRegion`. */
  readonly queueArn: string;
  readonly handler: SqsBatchHandler;
  /**
   * The function name given in the Lambda context.
   * @default 'user-sync'
   */
  readonly functionName?: string;
  /**
   * Most records per invocation.
   * @default pipeline.consumer.batchSize (100)
   */
  readonly batchSize?: number;
  /**
   * How long to gather records after the first one arrives before invoking.
   * @default pipeline.consumer.maxBatchingWindowSeconds × 1000 (1000)
   */
  readonly maxBatchingWindowMs?: number;
  /**
   * Batches in flight at once (concurrent invocations).
   * @default pipeline.consumer.maxConcurrency (5)
   */
  readonly maxConcurrency?: number;
  /**
   * The function's timeout: the context's remaining time counts down from it, and an
   * invocation still running then fails its whole batch (as Lambda does).
   * @default pipeline.consumer.timeoutSeconds × 1000 (30000)
   */
  readonly timeoutMs?: number;
  /**
   * Long-polling wait of ReceiveMessage, in seconds (0–20).
   * @default 20 (what the Lambda event source mapping uses)
   */
  readonly waitTimeSeconds?: number;
  /**
   * Called after every invocation.
   * @default - nothing
   */
  readonly onBatch?: (report: SqsBatchReport) => void;
  /**
   * Called when receiving or deleting fails (the poller keeps going).
   * @default - nothing
   */
  readonly onError?: (error: unknown, phase: 'receive' | 'delete') => void;
}

/** Counters of a running poller. */
export interface SqsPollerStats {
  readonly invocations: number;
  readonly received: number;
  readonly deleted: number;
  /** Records left for redelivery (batch item failures and failed invocations). */
  readonly failed: number;
  /** Invocations that threw, timed out or answered an invalid response. */
  readonly invocationErrors: number;
  /** Batches being handled right now. */
  readonly inFlight: number;
}

/** A running poller. */
export interface SqsPoller {
  /** Counters so far. */
  stats(): SqsPollerStats;
  /**
   * Stops receiving until {@link SqsPoller.resume}, as disabling a Lambda event source mapping
   * does: a receive already waiting finishes and its batch is handled; messages stay in the queue.
   */
  pause(): void;
  /** Receives again after {@link SqsPoller.pause}. */
  resume(): void;
  /** Stops receiving, waits for the batches in flight to finish, and resolves. */
  stop(): Promise<void>;
}

const SQS_MAX_PER_RECEIVE = 10;

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/**
 * Starts a poller that behaves like Lambda's SQS event source mapping with
 * `ReportBatchItemFailures`: workers (one per concurrent batch) long-poll ReceiveMessage,
 * gather up to `batchSize` records within the batching window, invoke the handler with a real
 * `SQSEvent` and a Lambda `Context`, delete the records that succeeded, and leave the
 * `batchItemFailures` (or the whole batch when the handler throws or times out) to come back
 * after the queue's visibility timeout; the queue's redrive policy moves them to the DLQ after
 * `maxReceiveCount` receives.
 *
 * @example
 * const poller = startSqsPoller({ sqs, queueUrl, queueArn, handler: userSyncHandler });
 * // … later
 * await poller.stop();
 */
export const startSqsPoller = (options: SqsPollerOptions): SqsPoller => {
  const { sqs, queueUrl, queueArn, handler } = options;
  const batchSize = options.batchSize ?? pipeline.consumer.batchSize;
  const windowMs = options.maxBatchingWindowMs ?? pipeline.consumer.maxBatchingWindowSeconds * 1000;
  const concurrency = options.maxConcurrency ?? pipeline.consumer.maxConcurrency;
  const timeoutMs = options.timeoutMs ?? pipeline.consumer.timeoutSeconds * 1000;
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const functionName = options.functionName ?? 'user-sync';
  const [, , , region = 'us-east-1', accountId = '000000000000'] = queueArn.split(':');
  const controller = new AbortController();
  const { signal } = controller;
  const counters = {
    invocations: 0,
    received: 0,
    deleted: 0,
    failed: 0,
    invocationErrors: 0,
    inFlight: 0,
  };

  const receive = async (max: number, wait: number): Promise<Message[]> => {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return messages;
  };

  /** One batch: a long poll for the first records, then short polls until full or the window ends. */
  const collectBatch = async (): Promise<Message[]> => {
    const batch = await receive(Math.min(SQS_MAX_PER_RECEIVE, batchSize), waitTimeSeconds);
    if (batch.length === 0) return batch;
    const windowEnd = Date.now() + windowMs;
    while (batch.length < batchSize && Date.now() < windowEnd && !signal.aborted) {
      let more: Message[];
      try {
        more = await receive(Math.min(SQS_MAX_PER_RECEIVE, batchSize - batch.length), 0);
      } catch (error) {
        // Records already received are invoked rather than left invisible until the timeout.
        if (!signal.aborted) options.onError?.(error, 'receive');
        break;
      }
      if (more.length === 0) await sleep(Math.min(25, windowEnd - Date.now()), signal);
      for (const message of more) {
        // A message whose visibility timeout ran out during the window comes back: keep one
        // record, with the newest receipt handle (the only one that can delete it).
        const index = batch.findIndex((known) => known.MessageId === message.MessageId);
        if (index === -1) batch.push(message);
        else batch[index] = message;
      }
    }
    return batch;
  };

  const invoke = async (event: SQSEvent): Promise<{ failedIds: string[]; error?: Error }> => {
    const context = createLambdaContext({ functionName, timeoutMs, region, accountId });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
        timeoutMs,
      );
    });
    try {
      const response = await Promise.race([handler(event, context), timeout]);
      return { failedIds: failedIdsOf(response, event) };
    } catch (error) {
      return { failedIds: event.Records.map((record) => record.messageId), error: asError(error) };
    } finally {
      clearTimeout(timer);
    }
  };

  const deleteSucceeded = async (event: SQSEvent, failedIds: readonly string[]): Promise<void> => {
    const done = event.Records.filter((record) => !failedIds.includes(record.messageId));
    for (let start = 0; start < done.length; start += SQS_MAX_PER_RECEIVE) {
      const chunk = done.slice(start, start + SQS_MAX_PER_RECEIVE);
      try {
        const result = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
            })),
          }),
        );
        counters.deleted += result.Successful?.length ?? 0;
        if ((result.Failed?.length ?? 0) > 0) {
          options.onError?.(
            new Error(`DeleteMessageBatch failed for ${result.Failed?.length} records`),
            'delete',
          );
        }
      } catch (error) {
        options.onError?.(error, 'delete');
      }
    }
  };

  let paused = false;
  const worker = async (): Promise<void> => {
    while (!signal.aborted) {
      if (paused) {
        await sleep(100, signal);
        continue;
      }
      let messages: Message[];
      try {
        messages = await collectBatch();
      } catch (error) {
        if (signal.aborted) break;
        options.onError?.(error, 'receive');
        await sleep(500, signal);
        continue;
      }
      if (messages.length === 0) continue;
      counters.received += messages.length;
      counters.inFlight += 1;
      const started = Date.now();
      const event = toSqsEvent(messages, { queueArn, region });
      counters.invocations += 1;
      const outcome = await invoke(event);
      if (outcome.error !== undefined) counters.invocationErrors += 1;
      counters.failed += outcome.failedIds.length;
      // Deleting finishes even after stop() so a handled batch is never redelivered needlessly.
      await deleteSucceeded(event, outcome.failedIds);
      counters.inFlight -= 1;
      try {
        options.onBatch?.({
          event,
          failedIds: outcome.failedIds,
          succeeded: event.Records.length - outcome.failedIds.length,
          ...(outcome.error === undefined ? {} : { invocationError: outcome.error }),
          durationMs: Date.now() - started,
        });
      } catch {
        // An observer's bug must not stop the polling.
      }
    }
  };

  const workers = Array.from({ length: Math.max(1, concurrency) }, () => worker());

  return {
    stats: () => ({ ...counters }),
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    async stop() {
      controller.abort();
      await Promise.all(workers);
    },
  };
};
