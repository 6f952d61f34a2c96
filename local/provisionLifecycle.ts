import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { lifecycleRulePattern, pipeline } from '../shared/pipeline.js';
import type { ProvisionedQueue } from './provisionPipeline.js';
import { ensureQueueWithDlq, ensureRuleToQueue } from './provisionResources.js';

/** The account's default bus, where CloudTrail puts management events. */
export const DEFAULT_EVENT_BUS = 'default';

/** What {@link provisionLifecyclePath} created (or found). */
export interface ProvisionedLifecyclePath extends ProvisionedQueue {
  /** The rule on the default bus (pattern `lifecycleRulePattern`). */
  readonly ruleName: string;
  readonly ruleArn: string;
}

/**
 * Creates the lifecycle path in the account the clients point at: the lifecycle queue with a
 * redrive policy to its DLQ, and the rule on the DEFAULT bus that selects the pools' CloudTrail
 * events (`lifecycleRulePattern`: source `aws.cognito-idp`, the event names of
 * `pipeline.lifecycle.eventNames`, these pools, no `errorCode`) and targets the queue. Names and
 * settings come from `shared/pipeline.ts`, as the CDK stack's. Idempotent.
 *
 * @param userPoolIds - the pools whose calls the rule selects.
 * @param options.visibilityTimeoutSeconds - the local stack lowers it (AWS: 180 s).
 * @default options.visibilityTimeoutSeconds - pipeline.lifecycle.queue.visibilityTimeoutSeconds
 *
 * @example
 * const lifecycle = await provisionLifecyclePath({ sqs, eventBridge }, [userPoolId]);
 */
export const provisionLifecyclePath = async (
  clients: { readonly sqs: SQSClient; readonly eventBridge: EventBridgeClient },
  userPoolIds: readonly string[],
  options: { readonly visibilityTimeoutSeconds?: number } = {},
): Promise<ProvisionedLifecyclePath> => {
  const { queue: settings } = pipeline.lifecycle;
  const queue = await ensureQueueWithDlq(
    clients.sqs,
    { queueName: settings.name, dlqName: settings.dlqName },
    {
      visibilityTimeoutSeconds:
        options.visibilityTimeoutSeconds ?? settings.visibilityTimeoutSeconds,
      maxReceiveCount: settings.maxReceiveCount,
      retentionDays: settings.retentionDays,
      dlqRetentionDays: settings.dlqRetentionDays,
    },
  );
  const ruleArn = await ensureRuleToQueue(
    clients.eventBridge,
    {
      name: pipeline.lifecycle.ruleName,
      busName: DEFAULT_EVENT_BUS,
      pattern: JSON.stringify(lifecycleRulePattern(userPoolIds)),
      description: "Cognito's user-changing API calls (CloudTrail) to the user-lifecycle queue",
    },
    queue,
    clients.sqs,
  );
  return { ...queue, ruleName: pipeline.lifecycle.ruleName, ruleArn };
};
