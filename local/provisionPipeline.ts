import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loginEventPattern, pipeline, syncEventPattern } from '../shared/pipeline.js';
import {
  ensureArchive,
  ensureEventBus,
  ensureQueueWithDlq,
  ensureRuleToQueue,
} from './provisionResources.js';

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

/**
 * Creates the pipeline in the account the clients point at (moto locally, through
 * `AWS_ENDPOINT_URL`): the bus, its archive, the sync queue with a redrive policy to its DLQ,
 * the sync rule (pattern {@link syncEventPattern}) targeting the queue, and the example second
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
      pattern: JSON.stringify(syncEventPattern(eventSource)),
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
