import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { loginEventPattern, pipeline } from '../shared/pipeline.js';

/** Options of {@link provisionPipeline}; every one defaults to the shared pipeline definition. */
export interface ProvisionPipelineOptions {
  /**
   * `Source` of the login events the rules select.
   * @default pipeline.eventSource
   */
  readonly eventSource?: string;
  /**
   * Visibility timeout of the sync queue, in seconds. The local stack lowers it so that failed
   * records come back in a second or two instead of three minutes.
   * @default pipeline.syncQueue.visibilityTimeoutSeconds (180)
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Receives before a sync message moves to the DLQ.
   * @default pipeline.syncQueue.maxReceiveCount (5)
   */
  readonly maxReceiveCount?: number;
}

/** A queue and its dead-letter queue, as created by {@link provisionPipeline}. */
export interface ProvisionedQueue {
  readonly queueName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqName: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

/** What {@link provisionPipeline} created (or found): names, URLs and ARNs. */
export interface ProvisionedPipeline {
  readonly eventBusName: string;
  readonly eventBusArn: string;
  readonly archiveName: string;
  readonly archiveArn: string;
  /** The `Source` the rules select. */
  readonly eventSource: string;
  /** The rule that routes login events to the sync queue. */
  readonly syncRuleName: string;
  readonly syncRuleArn: string;
  readonly syncQueue: ProvisionedQueue;
  /** The example second subscriber: its own rule, queue and DLQ. */
  readonly subscriber: ProvisionedQueue & { readonly ruleName: string; readonly ruleArn: string };
}

const DAY_SECONDS = 86_400;

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : '';

/** The queue policy that lets the bus's rule send to the queue (AWS needs it; moto ignores it). */
const allowRuleToSend = (queueArn: string, ruleArn: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEventBridgeRule',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
    ],
  });

/**
 * Creates the queue, or updates its attributes when it exists: CreateQueue refuses different
 * attributes for an existing name, so a re-run with new settings would fail otherwise.
 */
const ensureQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> => {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (!/NonExistentQueue|QueueDoesNotExist/.test(errorName(error))) throw error;
  }
  if (url === undefined) {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
      .QueueUrl;
  } else {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  if (url === undefined) throw new Error(`CreateQueue returned no URL for ${name}`);
  const described = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes returned no QueueArn for ${name}`);
  return { url, arn };
};

/** A queue with a redrive policy to its own DLQ. */
const ensureQueueWithDlq = async (
  sqs: SQSClient,
  names: { queueName: string; dlqName: string },
  settings: {
    /** Omitted: the SQS default (30 s). */
    visibilityTimeoutSeconds?: number;
    maxReceiveCount: number;
    retentionDays: number;
    dlqRetentionDays: number;
  },
): Promise<ProvisionedQueue> => {
  const dlq = await ensureQueue(sqs, names.dlqName, {
    MessageRetentionPeriod: String(settings.dlqRetentionDays * DAY_SECONDS),
  });
  const queue = await ensureQueue(sqs, names.queueName, {
    ...(settings.visibilityTimeoutSeconds === undefined
      ? {}
      : { VisibilityTimeout: String(settings.visibilityTimeoutSeconds) }),
    MessageRetentionPeriod: String(settings.retentionDays * DAY_SECONDS),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: settings.maxReceiveCount,
    }),
  });
  return {
    queueName: names.queueName,
    queueUrl: queue.url,
    queueArn: queue.arn,
    dlqName: names.dlqName,
    dlqUrl: dlq.url,
    dlqArn: dlq.arn,
  };
};

/** A rule on the bus whose only target is the queue; PutRule and PutTargets are upserts. */
const ensureRuleToQueue = async (
  eventBridge: EventBridgeClient,
  rule: { name: string; busName: string; pattern: string; description: string },
  queue: ProvisionedQueue,
  sqs: SQSClient,
): Promise<string> => {
  const { RuleArn: ruleArn } = await eventBridge.send(
    new PutRuleCommand({
      Name: rule.name,
      EventBusName: rule.busName,
      EventPattern: rule.pattern,
      State: 'ENABLED',
      Description: rule.description,
    }),
  );
  if (ruleArn === undefined) throw new Error(`PutRule returned no RuleArn for ${rule.name}`);
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: rule.name,
      EventBusName: rule.busName,
      Targets: [{ Id: 'queue', Arn: queue.queueArn }],
    }),
  );
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queue.queueUrl,
      Attributes: { Policy: allowRuleToSend(queue.queueArn, ruleArn) },
    }),
  );
  return ruleArn;
};

const ensureEventBus = async (eventBridge: EventBridgeClient, name: string): Promise<string> => {
  try {
    await eventBridge.send(new CreateEventBusCommand({ Name: name }));
  } catch (error) {
    if (errorName(error) !== 'ResourceAlreadyExistsException') throw error;
  }
  const { Arn: arn } = await eventBridge.send(new DescribeEventBusCommand({ Name: name }));
  if (arn === undefined) throw new Error(`DescribeEventBus returned no Arn for ${name}`);
  return arn;
};

const ensureArchive = async (
  eventBridge: EventBridgeClient,
  name: string,
  busArn: string,
): Promise<string> => {
  try {
    await eventBridge.send(
      new CreateArchiveCommand({
        ArchiveName: name,
        EventSourceArn: busArn,
        RetentionDays: pipeline.archive.retentionDays,
        Description: 'Every event on the login bus, for replay-archive',
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'ResourceAlreadyExistsException') throw error;
  }
  const { ArchiveArn: arn } = await eventBridge.send(
    new DescribeArchiveCommand({ ArchiveName: name }),
  );
  if (arn === undefined) throw new Error(`DescribeArchive returned no ArchiveArn for ${name}`);
  return arn;
};

/**
 * Creates the pipeline in the account the clients point at (moto locally, through
 * `AWS_ENDPOINT_URL`): the bus, its archive, the sync queue with a redrive policy to its DLQ,
 * the sync rule (pattern {@link loginEventPattern}) targeting the queue, and the example second
 * subscriber (own rule, queue and DLQ). Names and settings come from `shared/pipeline.ts`, the
 * definition the CDK stack uses too.
 *
 * Idempotent: a second call finds what exists, updates queue attributes and rules in place,
 * and returns the same URLs and ARNs.
 *
 * @param clients - SQS and EventBridge clients for the target endpoint.
 * @param options - overrides of the shared settings (the local stack lowers the visibility timeout).
 * @returns the names, URLs and ARNs of everything provisioned.
 *
 * @example
 * const sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1' });
 * const eventBridge = new EventBridgeClient({ endpoint: moto.endpoint, region: 'us-east-1' });
 * const provisioned = await provisionPipeline({ sqs, eventBridge }, { visibilityTimeoutSeconds: 2 });
 * console.log(provisioned.syncQueue.queueUrl, provisioned.syncQueue.dlqUrl);
 */
export const provisionPipeline = async (
  clients: { readonly sqs: SQSClient; readonly eventBridge: EventBridgeClient },
  options: ProvisionPipelineOptions = {},
): Promise<ProvisionedPipeline> => {
  const { sqs, eventBridge } = clients;
  const eventSource = options.eventSource ?? pipeline.eventSource;
  const pattern = JSON.stringify(loginEventPattern(eventSource));

  const eventBusArn = await ensureEventBus(eventBridge, pipeline.eventBusName);
  const archiveArn = await ensureArchive(eventBridge, pipeline.archive.name, eventBusArn);

  const syncQueue = await ensureQueueWithDlq(
    sqs,
    { queueName: pipeline.syncQueue.name, dlqName: pipeline.syncQueue.dlqName },
    {
      visibilityTimeoutSeconds:
        options.visibilityTimeoutSeconds ?? pipeline.syncQueue.visibilityTimeoutSeconds,
      maxReceiveCount: options.maxReceiveCount ?? pipeline.syncQueue.maxReceiveCount,
      retentionDays: pipeline.syncQueue.retentionDays,
      dlqRetentionDays: pipeline.syncQueue.dlqRetentionDays,
    },
  );
  const syncRuleArn = await ensureRuleToQueue(
    eventBridge,
    {
      name: pipeline.syncRuleName,
      busName: pipeline.eventBusName,
      pattern,
      description: 'Login events to the user-sync queue',
    },
    syncQueue,
    sqs,
  );

  // The example subscriber stands for another team's service: its own DLQ, the same receive
  // count, and the SQS default visibility timeout (its consumer is not ours to size).
  const subscriberQueue = await ensureQueueWithDlq(
    sqs,
    {
      queueName: pipeline.exampleSubscriber.queueName,
      dlqName: pipeline.exampleSubscriber.dlqName,
    },
    {
      maxReceiveCount: pipeline.syncQueue.maxReceiveCount,
      retentionDays: pipeline.syncQueue.retentionDays,
      dlqRetentionDays: pipeline.syncQueue.dlqRetentionDays,
    },
  );
  const subscriberRuleArn = await ensureRuleToQueue(
    eventBridge,
    {
      name: pipeline.exampleSubscriber.ruleName,
      busName: pipeline.eventBusName,
      pattern,
      description: 'Login events to the example audit subscriber',
    },
    subscriberQueue,
    sqs,
  );

  return {
    eventBusName: pipeline.eventBusName,
    eventBusArn,
    archiveName: pipeline.archive.name,
    archiveArn,
    eventSource,
    syncRuleName: pipeline.syncRuleName,
    syncRuleArn,
    syncQueue,
    subscriber: {
      ...subscriberQueue,
      ruleName: pipeline.exampleSubscriber.ruleName,
      ruleArn: subscriberRuleArn,
    },
  };
};
