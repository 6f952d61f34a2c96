import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { queueDepth as depthOf } from '../../local/queueDepth.js';

/**
 * Waits until `condition` holds, checking every 100 ms.
 *
 * @param timeoutMs - how long to wait before throwing.
 * @default timeoutMs 15000
 */
export const eventually = async (
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Visible plus in-flight messages of a queue. */
export const queueDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> =>
  (await depthOf(sqs, queueUrl)).total;

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
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
  return bodies;
};
