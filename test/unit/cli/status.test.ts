import { DescribeArchiveCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { formatStatus, readStatus } from '../../../cli/status.js';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync-dlq';
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('Function: readStatus', () => {
  const sqsMock = mockClient(SQSClient);
  const eventBridgeMock = mockClient(EventBridgeClient);
  const clients = {
    sqs: new SQSClient({ region: 'eu-west-1' }),
    eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
  };

  beforeEach(() => {
    sqsMock.reset();
    eventBridgeMock.reset();
    sqsMock.on(GetQueueAttributesCommand, { QueueUrl: QUEUE }).resolves({
      Attributes: {
        QueueArn: 'arn:q',
        ApproximateNumberOfMessages: '120',
        ApproximateNumberOfMessagesNotVisible: '300',
        ApproximateNumberOfMessagesDelayed: '0',
      },
    });
    sqsMock.on(GetQueueAttributesCommand, { QueueUrl: DLQ }).resolves({
      Attributes: { QueueArn: 'arn:d', ApproximateNumberOfMessages: '2' },
    });
    sqsMock.on(ReceiveMessageCommand, { QueueUrl: DLQ }).resolves({
      Messages: [
        { Attributes: { SentTimestamp: String(NOW - 90_000) } },
        { Attributes: { SentTimestamp: String(NOW - 3_600_000) } },
      ],
    });
    eventBridgeMock
      .on(DescribeArchiveCommand)
      .resolves({ State: 'ENABLED', EventCount: 5000, SizeBytes: 2_000_000, RetentionDays: 30 });
  });

  it('reports depths, in-flight counts, the DLQ oldest age and the archive size', async () => {
    // Act
    const status = await readStatus(clients, {
      syncQueueUrl: QUEUE,
      dlqUrl: DLQ,
      archiveName: 'archive',
      now: () => NOW,
    });

    // Assess
    expect(status).toEqual({
      at: new Date(NOW).toISOString(),
      syncQueue: {
        name: 'sync',
        url: QUEUE,
        depth: 120,
        inFlight: 300,
        delayed: 0,
        oldestMessageAgeSeconds: null,
      },
      dlq: {
        name: 'sync-dlq',
        url: DLQ,
        depth: 2,
        inFlight: 0,
        delayed: 0,
        oldestMessageAgeSeconds: 3600,
      },
      archive: {
        name: 'archive',
        state: 'ENABLED',
        eventCount: 5000,
        sizeBytes: 2_000_000,
        retentionDays: 30,
      },
    });
    // The peek leaves the messages visible and never touches the sync queue by default.
    expect(sqsMock).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: DLQ,
      VisibilityTimeout: 0,
    });
    expect(sqsMock).not.toHaveReceivedCommandWith(ReceiveMessageCommand, { QueueUrl: QUEUE });
    expect(formatStatus(status).join('\n')).toMatch(
      /DLQ\s+sync-dlq\s+depth\s+2\s+in flight\s+0\s+oldest 60m/,
    );
  });

  it('reports the archive as unavailable rather than failing', async () => {
    // Prepare
    eventBridgeMock.on(DescribeArchiveCommand).rejects(
      Object.assign(new Error('Archive archive does not exist.'), {
        name: 'ResourceNotFoundException',
      }),
    );

    // Act
    const status = await readStatus(clients, {
      syncQueueUrl: QUEUE,
      dlqUrl: DLQ,
      archiveName: 'archive',
    });

    // Assess
    expect(status.archive).toEqual({
      name: 'archive',
      error: 'ResourceNotFoundException: Archive archive does not exist.',
    });
  });
});
