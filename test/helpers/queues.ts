/**
 * SQS loops of the integration and fault tests: wait, count, send, receive, drain. Every test
 * and fault scenario that reads or fills a queue imports them from here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunk, runWithConcurrency } from '../../bench/benchStats.js';
import { queueDepth } from '../../local/queueDepth.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { envelopeBody } from './loginMessages.js';

/** Visible, in-flight and delayed message counts of a queue (the local stack's helper). */
export { queueDepth };

/**
 * Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes.
 *
 * @param intervalMs - time between two checks.
 * @default intervalMs 250
 * @returns whether it held in time.
 */
export const waitFor = async (
  predicate: () => boolean | Promise<boolean>,
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

/**
 * Waits until `condition` holds, checking every 100 ms; throws when it does not in time.
 *
 * @param timeoutMs - how long to wait before throwing.
 * @default timeoutMs 15000
 */
export const eventually = async (
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  if (!(await waitFor(condition, timeoutMs, 100))) {
    throw new Error(`condition not met within ${timeoutMs} ms`);
  }
};

/** Visible plus in-flight (plus delayed) messages of a queue. */
export const messageCount = async (sqs: SQSClient, queueUrl: string): Promise<number> =>
  (await queueDepth(sqs, queueUrl)).total;

/** Visible and in-flight counts of a queue. */
export const counts = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> => {
  const { visible, inFlight } = await queueDepth(sqs, queueUrl);
  return { visible, inFlight };
};

/** Deletes received messages (ten at most, as one receive returns). */
export const deleteMessages = async (
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> => {
  await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle ?? '',
      })),
    }),
  );
};

/**
 * Receives (and deletes) every message of a queue until two receives in a row come back empty.
 *
 * @param receive - options of each receive (wait time, attributes, visibility timeout).
 * @default receive `{ WaitTimeSeconds: 0 }`
 */
export const drainMessages = async (
  sqs: SQSClient,
  queueUrl: string,
  receive: Omit<ReceiveMessageCommandInput, 'QueueUrl' | 'MaxNumberOfMessages'> = {},
): Promise<Message[]> => {
  const out: Message[] = [];
  let empty = 0;
  while (empty < 2) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        WaitTimeSeconds: 0,
        ...receive,
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
      }),
    );
    if (messages.length === 0) {
      empty += 1;
      continue;
    }
    empty = 0;
    out.push(...messages);
    await deleteMessages(sqs, queueUrl, messages);
  }
  return out;
};

/** Receives (and deletes) every message of a queue; returns their bodies and attributes. */
export const drain = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ body: string; attributes: Record<string, MessageAttributeValue> }[]> =>
  (await drainMessages(sqs, queueUrl, { MessageAttributeNames: ['All'] })).map((message) => ({
    body: message.Body ?? '',
    attributes: message.MessageAttributes ?? {},
  }));

/** Receives (and deletes) every message of a queue, e.g. a DLQ, with its system attributes. */
export const drainQueue = (sqs: SQSClient, queueUrl: string): Promise<Message[]> =>
  drainMessages(sqs, queueUrl, {
    WaitTimeSeconds: 1,
    VisibilityTimeout: 60,
    MessageSystemAttributeNames: ['All'],
  });

/**
 * Receives every message of a queue once (deleting them) and returns each one's
 * `ApproximateReceiveCount`: 1 for a message nobody received before.
 */
export const receiveCounts = async (sqs: SQSClient, queueUrl: string): Promise<number[]> =>
  (
    await drainMessages(sqs, queueUrl, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] })
  ).map((message) => Number(message.Attributes?.ApproximateReceiveCount));

/**
 * Receives (and deletes) messages until `count` arrived; returns their bodies.
 *
 * @param timeoutMs - how long to wait before throwing.
 * @default timeoutMs 15000
 */
export const receiveAll = async (
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  timeoutMs = 15_000,
): Promise<string[]> => {
  const bodies: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (bodies.length < count) {
    if (Date.now() > deadline) {
      throw new Error(`received ${bodies.length} of ${count} messages within ${timeoutMs} ms`);
    }
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    if (messages.length === 0) continue;
    bodies.push(...messages.map((message) => message.Body ?? ''));
    await deleteMessages(sqs, queueUrl, messages);
  }
  return bodies;
};

/** A background consumer of a queue; see {@link startCollector}. */
export interface Collector {
  /** Bodies received so far. */
  readonly bodies: string[];
  /** Stops once the queue has been empty for two receives in a row; resolves to every body. */
  finish(): Promise<string[]>;
}

/**
 * Consumes a queue in the background (receive + delete, ten at a time) while a command
 * publishes into it. moto's receive slows down with the number of messages a queue holds, so
 * reading while writing keeps a 1,000-event test fast, as a real consumer would.
 */
export const startCollector = (sqs: SQSClient, queueUrl: string): Collector => {
  const bodies: string[] = [];
  let finishing = false;
  const loop = (async () => {
    let empty = 0;
    while (!finishing || empty < 2) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: finishing ? 0 : 1,
        }),
      );
      if (messages.length === 0) {
        if (finishing) empty += 1;
        continue;
      }
      empty = 0;
      bodies.push(...messages.map((message) => message.Body ?? ''));
      await deleteMessages(sqs, queueUrl, messages);
    }
  })();
  return {
    bodies,
    async finish() {
      finishing = true;
      await loop;
      return bodies;
    },
  };
};

/**
 * Makes messages poison the way a failing consumer does: each is received `maxReceiveCount`
 * times and never deleted (released as if its visibility timeout expired), so SQS's redrive
 * policy moves it to the DLQ on the next receive.
 */
export const poisonIntoDlq = async (
  sqs: SQSClient,
  queueUrl: string,
  maxReceiveCount: number,
): Promise<void> => {
  for (let round = 0; round <= maxReceiveCount; round += 1) {
    const handles: string[] = [];
    for (;;) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
        }),
      );
      if (messages.length === 0) break;
      handles.push(...messages.map((message) => message.ReceiptHandle ?? ''));
    }
    for (let i = 0; i < handles.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.slice(i, i + 10).map((handle, index) => ({
            Id: String(index),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    if (handles.length === 0) return;
  }
};

/** Sends login envelopes (the fallback shape) to a queue, ten per call. */
export const sendLogins = async (
  sqs: SQSClient,
  queueUrl: string,
  details: readonly UserAuthenticatedV1[],
  attributes: Record<string, MessageAttributeValue> = {},
): Promise<void> => {
  for (let i = 0; i < details.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: details.slice(i, i + 10).map((detail, index) => ({
          Id: String(index),
          MessageBody: envelopeBody(detail),
          ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
        })),
      }),
    );
  }
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
 * @param waveSize - bodies per wave.
 * @default waveSize 200
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
