import { DescribeArchiveCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createLocalAwsClients, type LocalAwsClients } from '../../local/localAwsClients.js';
import { type MotoServer, startMotoServer } from '../../local/motoServer.js';
import { type ProvisionedPipeline, provisionPipeline } from '../../local/provisionPipeline.js';
import { pipeline } from '../../shared/pipeline.js';
import { messageCount, receiveAll } from '../helpers/queues.js';

jest.setTimeout(30_000);

describe('Function: provisionPipeline', () => {
  let moto: MotoServer | undefined;
  let aws: LocalAwsClients | undefined;
  let provisioned: ProvisionedPipeline;
  const clients = (): LocalAwsClients => {
    if (aws === undefined) throw new Error('moto did not start');
    return aws;
  };

  beforeAll(async () => {
    moto = await startMotoServer();
    aws = createLocalAwsClients(moto.endpoint, 'us-east-1');
    provisioned = await provisionPipeline(aws);
  });

  afterAll(async () => {
    aws?.destroy();
    await moto?.stop();
  });

  it('creates the queues with the settings and redrive policy of the shared definition', async () => {
    // Act
    const { Attributes: attributes } = await clients().sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: provisioned.syncQueue.queueUrl,
        AttributeNames: ['All'],
      }),
    );

    // Assess
    expect(provisioned.syncQueue.queueUrl).toMatch(new RegExp(`/${pipeline.syncQueue.name}$`));
    expect(provisioned.syncQueue.dlqUrl).toMatch(new RegExp(`/${pipeline.syncQueue.dlqName}$`));
    expect(JSON.parse(attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: provisioned.syncQueue.dlqArn,
      maxReceiveCount: pipeline.syncQueue.maxReceiveCount,
    });
    expect(attributes).toEqual(
      expect.objectContaining({
        VisibilityTimeout: String(pipeline.syncQueue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(pipeline.syncQueue.retentionDays * 86_400),
      }),
    );
  });

  it('is idempotent and applies a new visibility timeout to the existing queue', async () => {
    // Act
    const again = await provisionPipeline(clients(), { visibilityTimeoutSeconds: 2 });
    const { Attributes: attributes } = await clients().sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: again.syncQueue.queueUrl,
        AttributeNames: ['VisibilityTimeout'],
      }),
    );

    // Assess
    expect(again).toEqual(provisioned);
    expect(attributes?.VisibilityTimeout).toBe('2');
  });

  it('archives the bus, routes v1 login events to the sync queue and every login event to the second subscriber', async () => {
    // Prepare
    const entry = (detailType: string, schemaVersion: number) => ({
      EventBusName: provisioned.eventBusName,
      Source: provisioned.eventSource,
      DetailType: detailType,
      Detail: JSON.stringify({ schemaVersion, eventId: `e-${detailType}-${schemaVersion}` }),
    });

    // Act
    const result = await clients().eventBridge.send(
      new PutEventsCommand({
        Entries: [
          entry(pipeline.detailType, 1),
          entry(pipeline.detailType, 2),
          entry('SomethingElse', 1),
        ],
      }),
    );
    const sync = await receiveAll(clients().sqs, provisioned.syncQueue.queueUrl, 1);
    const subscriber = await receiveAll(clients().sqs, provisioned.subscriber.queueUrl, 2);
    const archive = await clients().eventBridge.send(
      new DescribeArchiveCommand({ ArchiveName: provisioned.archiveName }),
    );

    // Assess
    expect(result.FailedEntryCount ?? 0).toBe(0);
    expect(sync.map((body) => JSON.parse(body))).toEqual([
      expect.objectContaining({
        'detail-type': pipeline.detailType,
        detail: { schemaVersion: 1, eventId: `e-${pipeline.detailType}-1` },
      }),
    ]);
    expect(subscriber.map((body) => JSON.parse(body).detail.eventId).sort()).toEqual([
      `e-${pipeline.detailType}-1`,
      `e-${pipeline.detailType}-2`,
    ]);
    expect(await messageCount(clients().sqs, provisioned.syncQueue.queueUrl)).toBe(0);
    expect(await messageCount(clients().sqs, provisioned.subscriber.queueUrl)).toBe(0);
    expect(archive).toEqual(
      expect.objectContaining({
        ArchiveArn: provisioned.archiveArn,
        EventSourceArn: provisioned.eventBusArn,
        RetentionDays: pipeline.archive.retentionDays,
      }),
    );
  });
});
