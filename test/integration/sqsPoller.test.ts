import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { createLocalAwsClients, type LocalAwsClients } from '../../local/localAwsClients.js';
import { type MotoServer, startMotoServer } from '../../local/motoServer.js';
import { type SqsPoller, startSqsPoller } from '../../local/sqsPoller.js';
import { pipeline } from '../../shared/pipeline.js';
import { eventually, messageCount } from '../helpers/queues.js';

jest.setTimeout(30_000);

describe('Function: startSqsPoller', () => {
  let moto: MotoServer | undefined;
  let aws: LocalAwsClients;
  let poller: SqsPoller | undefined;

  beforeAll(async () => {
    moto = await startMotoServer();
    aws = createLocalAwsClients(moto.endpoint, 'us-east-1');
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  afterAll(async () => {
    aws?.destroy();
    await moto?.stop();
  });

  let queue: { url: string; arn: string; dlqUrl: string };
  let queueCount = 0;

  // Each test gets its own queue: moto keeps serving a long poll that a stopped poller aborted
  // until its wait ends, and such a poll would take the next test's messages.
  beforeEach(async () => {
    queueCount += 1;
    const create = async (name: string, attributes: Record<string, string>) => {
      const { QueueUrl: url = '' } = await aws.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
      );
      const { Attributes: described } = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      return { url, arn: described?.QueueArn ?? '' };
    };
    const dlq = await create(`poller-test-${queueCount}-dlq`, {});
    const main = await create(`poller-test-${queueCount}`, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: pipeline.syncQueue.maxReceiveCount,
      }),
    });
    queue = { url: main.url, arn: main.arn, dlqUrl: dlq.url };
  });

  const send = async (bodies: readonly string[]): Promise<void> => {
    for (let start = 0; start < bodies.length; start += 10) {
      await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies.slice(start, start + 10).map((body, index) => ({
            Id: String(index),
            MessageBody: body,
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
          })),
        }),
      );
    }
  };

  it('invokes the handler with a Lambda-shaped SQS event and deletes what succeeded', async () => {
    // Prepare
    const events: SQSEvent[] = [];
    const remaining: number[] = [];
    // Long enough that nothing is redelivered while a batch is gathered under a loaded machine.
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: { VisibilityTimeout: '30' },
      }),
    );
    await send(Array.from({ length: 25 }, (_, index) => JSON.stringify({ index })));

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      maxConcurrency: 1,
      timeoutMs: 5000,
      handler: async (event, context) => {
        events.push(event);
        remaining.push(context.getRemainingTimeInMillis());
        return { batchItemFailures: [] };
      },
    });
    await eventually(() => events.flatMap((event) => event.Records).length === 25);
    await eventually(async () => (await messageCount(aws.sqs, queue.url)) === 0);

    // Assess
    const record = events[0]?.Records[0];
    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: expect.stringMatching(/^\{"index":\d+\}$/),
      attributes: expect.objectContaining({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      }),
      messageAttributes: {
        kind: expect.objectContaining({ stringValue: 'test', dataType: 'String' }),
      },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfMessageAttributes: expect.any(String),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
    });
    expect(remaining.every((ms) => ms > 4000 && ms <= 5000)).toBe(true);
    expect(poller.stats()).toEqual(expect.objectContaining({ received: 25, deleted: 25 }));
  });

  it('redelivers batch item failures until moto moves them to the DLQ after maxReceiveCount', async () => {
    // Prepare
    const receiveCounts = new Map<string, string[]>();
    await send(['{"poison":true}', '{"ok":1}', '{"ok":2}']);

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      maxBatchingWindowMs: 200,
      handler: async (event) => {
        for (const record of event.Records) {
          const counts = receiveCounts.get(record.body) ?? [];
          receiveCounts.set(record.body, [...counts, record.attributes.ApproximateReceiveCount]);
        }
        return {
          batchItemFailures: event.Records.filter((record) => record.body.includes('poison')).map(
            (record) => ({ itemIdentifier: record.messageId }),
          ),
        };
      },
    });
    await eventually(async () => (await messageCount(aws.sqs, queue.dlqUrl)) === 1, 20_000);

    // Assess
    expect(receiveCounts.get('{"poison":true}')).toEqual(['1', '2', '3', '4', '5']);
    expect(receiveCounts.get('{"ok":1}')).toEqual(['1']);
    expect(receiveCounts.get('{"ok":2}')).toEqual(['1']);
    expect(await messageCount(aws.sqs, queue.url)).toBe(0);
  });

  it('leaves the whole batch for redelivery when the handler throws', async () => {
    // Prepare
    const receiveCounts: string[][] = [];
    await send(['{"a":1}', '{"a":2}']);

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      maxBatchingWindowMs: 300,
      maxConcurrency: 1,
      handler: async (event) => {
        receiveCounts.push(
          event.Records.map((record) => record.attributes.ApproximateReceiveCount),
        );
        if (receiveCounts.length === 1) throw new Error('boom');
        return undefined;
      },
    });
    await eventually(() => poller?.stats().deleted === 2, 10_000);

    // Assess
    expect(receiveCounts).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
    expect(poller.stats()).toEqual(
      expect.objectContaining({ invocations: 2, invocationErrors: 1, failed: 2, deleted: 2 }),
    );
  });

  it('fails the whole batch when the handler runs past the timeout, as Lambda does', async () => {
    // Prepare
    const reports: { failed: number; error: string | undefined }[] = [];
    await send(['{"t":1}']);

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      maxConcurrency: 1,
      maxBatchingWindowMs: 0,
      timeoutMs: 300,
      handler: async (event, context) => {
        if (event.Records[0]?.attributes.ApproximateReceiveCount === '1') {
          await new Promise((resolve) =>
            setTimeout(resolve, context.getRemainingTimeInMillis() + 200),
          );
        }
        return { batchItemFailures: [] };
      },
      onBatch: (report) =>
        reports.push({ failed: report.failedIds.length, error: report.invocationError?.message }),
    });
    await eventually(() => reports.length === 2, 10_000);

    // Assess
    expect(reports).toEqual([
      { failed: 1, error: 'Task timed out after 0.30 seconds' },
      { failed: 0, error: undefined },
    ]);
  });

  it('fails the whole batch when the handler answers an unknown itemIdentifier', async () => {
    // Prepare
    const reports: { failed: number; error: string | undefined }[] = [];
    await send(['{"b":1}']);

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      maxConcurrency: 1,
      maxBatchingWindowMs: 200,
      handler: async (event) =>
        event.Records[0]?.attributes.ApproximateReceiveCount === '1'
          ? { batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] }
          : { batchItemFailures: [] },
      onBatch: (report) =>
        reports.push({ failed: report.failedIds.length, error: report.invocationError?.message }),
    });
    await eventually(() => reports.length === 2, 10_000);

    // Assess
    expect(reports).toEqual([
      { failed: 1, error: expect.stringMatching(/unknown itemIdentifier/) },
      { failed: 0, error: undefined },
    ]);
  });

  it('batches up to batchSize records within the batching window', async () => {
    // Prepare
    const sizes: number[] = [];
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: { VisibilityTimeout: '30' },
      }),
    );
    await send(Array.from({ length: 45 }, (_, index) => `{"c":${index}}`));

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 20,
      maxBatchingWindowMs: 1000,
      maxConcurrency: 1,
      handler: async (event) => {
        sizes.push(event.Records.length);
      },
    });
    await eventually(() => sizes.reduce((sum, size) => sum + size, 0) === 45, 10_000);

    // Assess
    expect(sizes).toEqual([20, 20, 5]);
  });

  it('runs up to maxConcurrency batches at once', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    let handled = 0;
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: { VisibilityTimeout: '30' },
      }),
    );
    await send(Array.from({ length: 30 }, (_, index) => `{"d":${index}}`));

    // Act
    poller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      maxBatchingWindowMs: 0,
      maxConcurrency: 3,
      handler: async (event) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        inFlight -= 1;
        handled += event.Records.length;
      },
    });
    await eventually(() => handled === 30, 20_000);

    // Assess
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('stops promptly while a long poll is waiting', async () => {
    // Prepare
    const local = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      handler: async () => undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();

    // Act
    await local.stop();

    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
