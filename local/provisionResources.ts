/**
 * Idempotent create-or-update steps of `provisionPipeline`: each finds what exists, brings
 * it to the wanted settings and returns its identifiers.
 */
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
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
import { pipeline } from '../shared/pipeline.js';
import type { ProvisionedQueue } from './provisionPipeline.js';

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

/** A queue with a redrive policy to its own DLQ; both created or updated in place. */
export const ensureQueueWithDlq = async (
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

/**
 * A rule on the bus whose only target is the queue (PutRule and PutTargets are upserts), and the
 * queue policy that lets the rule send.
 */
export const ensureRuleToQueue = async (
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

/** The event bus, created unless it exists; returns its ARN. */
export const ensureEventBus = async (
  eventBridge: EventBridgeClient,
  name: string,
): Promise<string> => {
  try {
    await eventBridge.send(new CreateEventBusCommand({ Name: name }));
  } catch (error) {
    if (errorName(error) !== 'ResourceAlreadyExistsException') throw error;
  }
  const { Arn: arn } = await eventBridge.send(new DescribeEventBusCommand({ Name: name }));
  if (arn === undefined) throw new Error(`DescribeEventBus returned no Arn for ${name}`);
  return arn;
};

/** The archive of every event on the bus, created unless it exists; returns its ARN. */
export const ensureArchive = async (
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
 * The Cognito user pool of this name, created unless one exists (ListUserPools finds it by
 * name, so a re-run against the same endpoint reuses it); returns its id.
 */
export const ensureUserPool = async (
  cognito: CognitoIdentityProviderClient,
  name: string,
): Promise<string> => {
  for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 })) {
    const found = page.UserPools?.find((pool) => pool.Name === name)?.Id;
    if (found !== undefined) return found;
  }
  const { UserPool: pool } = await cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  if (pool?.Id === undefined) throw new Error(`CreateUserPool returned no Id for ${name}`);
  return pool.Id;
};
