import { describe, expect, it } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  LoginEventSubscriber,
  type LoginEventSubscriberProps,
} from '../../infra/constructs/LoginEventSubscriber.js';
import { pipeline } from '../../shared/pipeline.js';
import { arnOf, logicalIdOf } from './stackFixture.js';

/** A stack with an imported login-event bus, as another service's stack would have. */
const subscriberStack = (): { stack: Stack; eventBus: events.IEventBus } => {
  const stack = new Stack();
  const eventBus = events.EventBus.fromEventBusName(stack, 'Bus', pipeline.eventBusName);
  return { stack, eventBus };
};

describe('Class: LoginEventSubscriber', () => {
  it('gives a subscriber its own pattern, queue, DLQ and delivery DLQ', () => {
    // Prepare
    const { stack, eventBus } = subscriberStack();

    // Act
    const subscriber = new LoginEventSubscriber(stack, 'Audit', {
      eventBus,
      ruleName: 'login-audit',
      eventPattern: { detail: { attributes: { email: [{ suffix: '@example.com' }] } } },
      queue: { queueName: 'login-audit', deadLetterQueueName: 'login-audit-dlq' },
    });
    const template = Template.fromStack(stack);
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: 'login-audit' });
    const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: 'login-audit-dlq' });
    const deliveryDeadLetterArn = new Capture();

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'login-audit',
      EventBusName: pipeline.eventBusName,
      EventPattern: {
        source: [pipeline.eventSource],
        'detail-type': [pipeline.detailType],
        detail: { attributes: { email: [{ suffix: '@example.com' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: arnOf(queueId),
          DeadLetterConfig: { Arn: deliveryDeadLetterArn },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'login-audit',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(dlqId), maxReceiveCount: 5 },
    });
    template.resourceCountIs('AWS::SQS::Queue', 3);
    // The exposed queues are the ones the rule delivers to and dead-letters into.
    expect(stack.resolve(subscriber.queue?.queueArn)).toEqual(arnOf(queueId));
    expect(stack.resolve(subscriber.deadLetterQueue?.queueArn)).toEqual(arnOf(dlqId));
    expect(stack.resolve(subscriber.deliveryDeadLetterQueue?.queueArn)).toEqual(
      deliveryDeadLetterArn.asObject(),
    );
    expect(deliveryDeadLetterArn.asObject()).not.toEqual(arnOf(dlqId));
  });

  it('receives login events only unless told otherwise (the subscribers written before lifecycle events)', () => {
    // Prepare
    const { stack, eventBus } = subscriberStack();

    // Act
    new LoginEventSubscriber(stack, 'Audit', { eventBus });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [pipeline.eventSource], 'detail-type': ['UserAuthenticated'] },
    });
  });

  it('receives the detail types it chooses, lifecycle events included', () => {
    // Prepare
    const { stack, eventBus } = subscriberStack();

    // Act
    new LoginEventSubscriber(stack, 'Directory', {
      eventBus,
      detailTypes: [pipeline.detailTypes.signedUp, pipeline.detailTypes.deleted],
      eventPattern: { detail: { schemaVersion: [1] } },
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: [pipeline.eventSource],
        'detail-type': ['UserSignedUp', 'UserDeleted'],
        detail: { schemaVersion: [1] },
      },
    });
  });

  it('takes retry settings for the delivery to its queue', () => {
    // Prepare
    const { stack, eventBus } = subscriberStack();

    // Act
    new LoginEventSubscriber(stack, 'Audit', {
      eventBus,
      retryAttempts: 10,
      maxEventAge: Duration.hours(2),
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('delivers to any target instead, creating no queue', () => {
    // Prepare
    const { stack, eventBus } = subscriberStack();
    const topic = new sns.Topic(stack, 'Topic');

    // Act
    const subscriber = new LoginEventSubscriber(stack, 'Notify', {
      eventBus,
      target: new targets.SnsTopic(topic),
    });
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: logicalIdOf(template, 'AWS::SNS::Topic') } })],
    });
    expect(subscriber.queue).toBeUndefined();
  });

  it.each<[string, Partial<LoginEventSubscriberProps>, RegExp]>([
    ['both a target and a queue', { queue: {} }, /either target or queue, not both/],
    ['retry settings with a target', { retryAttempts: 3 }, /configure them on your target/],
  ])('throws when given %s', (_name, props, message) => {
    // Prepare
    const { stack, eventBus } = subscriberStack();
    const target = new targets.SnsTopic(new sns.Topic(stack, 'Topic'));

    // Act
    const act = (): LoginEventSubscriber =>
      new LoginEventSubscriber(stack, 'Bad', { eventBus, target, ...props });

    // Assess
    expect(act).toThrow(message);
  });

  it.each<[string, Partial<LoginEventSubscriberProps>, RegExp]>([
    ['186 retries', { retryAttempts: 186 }, /retryAttempts must be an integer from 0 to 185/],
    ['a 2-day event age', { maxEventAge: Duration.days(2) }, /maxEventAge must be 1 min to 24 h/],
    ['an empty pattern', { eventPattern: {} }, /eventPattern must not be empty/],
    ['an empty source', { eventSource: ' ' }, /eventSource must not be empty/],
    ['no detail type', { detailTypes: [] }, /detailTypes must not be empty/],
    ['an empty detail type', { detailTypes: [' '] }, /detailTypes must not hold an empty name/],
  ])('throws when given %s', (_name, props, message) => {
    // Prepare
    const { stack, eventBus } = subscriberStack();

    // Act
    const act = (): LoginEventSubscriber =>
      new LoginEventSubscriber(stack, 'Bad', { eventBus, ...props });

    // Assess
    expect(act).toThrow(message);
  });
});
