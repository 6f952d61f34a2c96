import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COGNITO_CLOUDTRAIL, lifecycleRulePattern, pipeline } from '../../shared/pipeline.js';
import { LoginEventSubscriber } from './LoginEventSubscriber.js';
import type { QueueWithDeadLetterQueueProps } from './QueueWithDeadLetterQueue.js';

/**
 * The `detail` part of the lifecycle rule's pattern: the one the local stack uses too
 * (`lifecycleRulePattern`), with the event names this construct was given.
 *
 * @param userPoolId - the pool whose calls are selected (`requestParameters.userPoolId`).
 * @param eventNames - CloudTrail event names (the API operations) that change a user.
 */
export const cognitoApiCallDetail = (
  userPoolId: string,
  eventNames: readonly string[],
): ReturnType<typeof lifecycleRulePattern>['detail'] => ({
  ...lifecycleRulePattern([userPoolId]).detail,
  eventName: [...eventNames],
});

/** Properties of {@link UserLifecycleHints}. */
export interface UserLifecycleHintsProps {
  /** Id of the user pool whose API calls are selected (a token for a pool the stack creates). */
  readonly userPoolId: string;
  /**
   * CloudTrail event names that change a user's state.
   * @default pipeline.lifecycle.eventNames
   */
  readonly eventNames?: readonly string[];
  /**
   * Name of the rule.
   * @default pipeline.lifecycle.ruleName
   */
  readonly ruleName?: string;
  /**
   * Settings of the lifecycle queue and its dead-letter queue.
   * @default - the names and settings of pipeline.lifecycle.queue
   */
  readonly queue?: QueueWithDeadLetterQueueProps;
}

/**
 * The lifecycle path's input: a rule on the account's DEFAULT bus (where CloudTrail delivers
 * `AWS API Call via CloudTrail` events) selecting the successful user-changing API calls on this
 * pool, delivering to the lifecycle queue (SSE, TLS-only, its own DLQ) with a delivery DLQ and a
 * retry policy for what EventBridge cannot deliver. The events are hints: `user-lifecycle` reads
 * each user again in Cognito before it publishes anything.
 *
 * CloudTrail sends these events to EventBridge only while a trail logs management events in the
 * region (see the stack's `createTrail`).
 *
 * @example
 * const hints = new UserLifecycleHints(this, 'Lifecycle', { userPoolId: pool.userPoolId });
 * lifecycleFunction.addEventSource(
 *   new SqsEventSource(hints.queue, { reportBatchItemFailures: true }),
 * );
 */
export class UserLifecycleHints extends Construct {
  /** The rule on the default bus. */
  public readonly rule: events.Rule;
  /** The lifecycle queue `user-lifecycle` reads. */
  public readonly queue: sqs.Queue;
  /** Where lifecycle messages go after `maxReceiveCount` receives. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Events EventBridge could not deliver to the lifecycle queue. */
  public readonly deliveryDeadLetterQueue: sqs.Queue;
  /** The subscription that builds the rule and the queues. */
  private readonly subscription: LoginEventSubscriber;

  public constructor(scope: Construct, id: string, props: UserLifecycleHintsProps) {
    super(scope, id);
    const eventNames = props.eventNames ?? pipeline.lifecycle.eventNames;
    if (eventNames.length === 0) {
      throw new Error(
        `UserLifecycleHints ${id}: eventNames must not be empty; omit it for pipeline.lifecycle.eventNames`,
      );
    }
    const settings = pipeline.lifecycle.queue;
    const queueName = props.queue === undefined ? settings.name : props.queue.queueName;
    // The subscriber construct is generic in source and detail types: here the bus is the
    // account's default bus and the events are CloudTrail's.
    this.subscription = new LoginEventSubscriber(this, 'Subscription', {
      eventBus: events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      eventSource: COGNITO_CLOUDTRAIL.source,
      detailTypes: [COGNITO_CLOUDTRAIL.detailType],
      ruleName: props.ruleName ?? pipeline.lifecycle.ruleName,
      description:
        'Cognito API calls that change a user of this pool (CloudTrail) → user-lifecycle',
      eventPattern: { detail: cognitoApiCallDetail(props.userPoolId, eventNames) },
      queue: props.queue ?? {
        queueName: settings.name,
        deadLetterQueueName: settings.dlqName,
        visibilityTimeout: Duration.seconds(settings.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(settings.retentionDays),
        deadLetterRetentionPeriod: Duration.days(settings.dlqRetentionDays),
        maxReceiveCount: settings.maxReceiveCount,
      },
      ...(queueName === undefined
        ? {}
        : { deliveryDeadLetterQueueName: `${queueName}-delivery-dlq` }),
    });
    const { queue, deadLetterQueue, deliveryDeadLetterQueue } = this.subscription;
    if (
      queue === undefined ||
      deadLetterQueue === undefined ||
      deliveryDeadLetterQueue === undefined
    ) {
      throw new Error(`UserLifecycleHints ${id}: the subscription must create its queues`);
    }
    this.rule = this.subscription.rule;
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.deliveryDeadLetterQueue = deliveryDeadLetterQueue;
  }

  /**
   * Makes the rule and the given principals the only senders the lifecycle queue admits (see
   * {@link LoginEventSubscriber.restrictSenders}).
   *
   * @param principalArns - e.g. the operators' roles that run `replay-dlq`.
   */
  public restrictSenders(principalArns: readonly string[]): void {
    this.subscription.restrictSenders(principalArns);
  }
}
