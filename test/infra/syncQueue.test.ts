import { describe, expect, it } from '@jest/globals';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { pipeline } from '../../shared/pipeline.js';
import { arnOf, functionIdOf, logicalIdOf, propertiesOf, synthStack } from './stackFixture.js';

describe('Class: CognitoHasuraSyncStack (sync rule and queues)', () => {
  const { template } = synthStack();
  const busId = logicalIdOf(template, 'AWS::Events::EventBus');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: pipeline.syncQueue.name });
  const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: pipeline.syncQueue.dlqName });
  const deliveryDlqId = logicalIdOf(template, 'AWS::SQS::Queue', {
    QueueName: `${pipeline.syncQueue.name}-delivery-dlq`,
  });

  it('routes every event of the contract, of the consumed schema versions, from the bus to the sync queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: pipeline.syncRuleName,
      EventBusName: { Ref: busId },
      EventPattern: {
        source: [pipeline.eventSource],
        'detail-type': [
          pipeline.detailTypes.authenticated,
          pipeline.detailTypes.signedUp,
          pipeline.detailTypes.updated,
          pipeline.detailTypes.deleted,
        ],
        detail: { schemaVersion: [1] },
      },
      Targets: Match.arrayWith([Match.objectLike({ Arn: arnOf(queueId) })]),
    });
  });

  it('gives the rule target its own dead-letter queue and retry policy', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: pipeline.syncRuleName,
      Targets: [
        Match.objectLike({
          Arn: arnOf(queueId),
          DeadLetterConfig: { Arn: arnOf(deliveryDlqId) },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
    expect(deliveryDlqId).not.toBe(dlqId);
  });

  it('lets EventBridge send to the queue and its delivery DLQ only from the sync rule', () => {
    // Prepare
    const ruleId = logicalIdOf(template, 'AWS::Events::Rule', { Name: pipeline.syncRuleName });

    // Assess
    for (const [target, action] of [
      [queueId, Match.arrayWith(['sqs:SendMessage'])],
      [deliveryDlqId, 'sqs:SendMessage'],
    ] as const) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: target }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: action,
              Condition: { ArnEquals: { 'aws:SourceArn': arnOf(ruleId) } },
            }),
          ]),
        },
      });
    }
  });

  it('encrypts every queue with SQS-managed keys', () => {
    // Assess
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    // The sync queue and the lifecycle queue, each with its DLQ and its delivery DLQ.
    expect(queues).toHaveLength(6);
    for (const queue of queues) {
      expect(queue).toMatchObject({ Properties: { SqsManagedSseEnabled: true } });
    }
  });

  it('denies every request to every queue that is not sent over TLS', () => {
    // Assess
    for (const id of Object.keys(template.findResources('AWS::SQS::Queue'))) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it("sets the sync queue's visibility timeout to at least 6 times the consumer's timeout", () => {
    // Prepare
    const consumer = propertiesOf(template, functionIdOf(template, ServiceName.UserSync));
    const visibility = new Capture();

    // Act
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: pipeline.syncQueue.name,
      VisibilityTimeout: visibility,
    });

    // Assess
    expect(visibility.asNumber()).toBeGreaterThanOrEqual(6 * (consumer.Timeout as number));
  });

  it('redrives to the DLQ after at least 5 receives', () => {
    // Prepare
    const receives = new Capture();

    // Act
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: pipeline.syncQueue.name,
      RedrivePolicy: { deadLetterTargetArn: arnOf(dlqId), maxReceiveCount: receives },
    });

    // Assess
    expect(receives.asNumber()).toBeGreaterThanOrEqual(5);
  });

  it('keeps DLQ messages 14 days, longer than the sync queue keeps them', () => {
    // Prepare
    const queueRetention = propertiesOf(template, queueId).MessageRetentionPeriod as number;

    // Assess
    for (const id of [dlqId, deliveryDlqId]) {
      expect(propertiesOf(template, id).MessageRetentionPeriod).toBe(14 * 86_400);
    }
    expect(14 * 86_400).toBeGreaterThan(queueRetention);
  });

  it('deploys the example subscriber with its own rule, queue and DLQs when asked', () => {
    // Act
    const { template: withExample } = synthStack({ exampleSubscriber: true });
    const auditQueueId = logicalIdOf(withExample, 'AWS::SQS::Queue', {
      QueueName: pipeline.exampleSubscriber.queueName,
    });
    const auditDlqId = logicalIdOf(withExample, 'AWS::SQS::Queue', {
      QueueName: pipeline.exampleSubscriber.dlqName,
    });

    // Assess
    withExample.hasResourceProperties('AWS::Events::Rule', {
      Name: pipeline.exampleSubscriber.ruleName,
      // The example stays on logins: a subscriber's default detail types.
      EventPattern: { source: [pipeline.eventSource], 'detail-type': [pipeline.detailType] },
      Targets: [Match.objectLike({ Arn: arnOf(auditQueueId), DeadLetterConfig: Match.anyValue() })],
    });
    withExample.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: pipeline.exampleSubscriber.queueName,
      RedrivePolicy: Match.objectLike({ deadLetterTargetArn: arnOf(auditDlqId) }),
    });
    expect(
      Object.keys(
        template.findResources('AWS::Events::Rule', {
          Properties: { Name: pipeline.exampleSubscriber.ruleName },
        }),
      ),
    ).toEqual([]);
  });
});
