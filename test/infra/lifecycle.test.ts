import { describe, expect, it } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { UserLifecycleHints } from '../../infra/constructs/UserLifecycleHints.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  actionsOf,
  arnOf,
  functionIdOf,
  logicalIdOf,
  propertiesOf,
  statementsOfFunction,
  synthStack,
  TEST_ENV,
} from './stackFixture.js';

const REPLAY_ROLE = 'arn:aws:iam::123456789012:role/ops/replay-dlq';
const IMPORTED_POOL = 'eu-west-1_AbCdEf123';

describe('Class: CognitoHasuraSyncStack (lifecycle path)', () => {
  const { template } = synthStack({ dlqReplayRoleArns: [REPLAY_ROLE] });
  const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
  const busId = logicalIdOf(template, 'AWS::Events::EventBus');
  const lifecycleId = functionIdOf(template, ServiceName.UserLifecycle);
  const settings = pipeline.lifecycle.queue;
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: settings.name });
  const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: settings.dlqName });
  const deliveryDlqId = logicalIdOf(template, 'AWS::SQS::Queue', {
    QueueName: `${settings.name}-delivery-dlq`,
  });
  const ruleId = logicalIdOf(template, 'AWS::Events::Rule', {
    Name: pipeline.lifecycle.ruleName,
  });

  it("selects, on the account's default bus, the successful user-changing calls on this pool only", () => {
    // Assess
    expect(propertiesOf(template, ruleId)).toEqual(
      expect.objectContaining({
        EventBusName: 'default',
        EventPattern: {
          source: ['aws.cognito-idp'],
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: {
            eventSource: ['cognito-idp.amazonaws.com'],
            eventName: [...pipeline.lifecycle.eventNames],
            requestParameters: { userPoolId: [{ Ref: poolId }] },
            errorCode: [{ exists: false }],
          },
        },
      }),
    );
  });

  it('selects the calls on an imported pool by its id', () => {
    // Act
    const { template: imported } = synthStack({ userPoolId: IMPORTED_POOL, env: TEST_ENV });

    // Assess
    imported.hasResourceProperties('AWS::Events::Rule', {
      Name: pipeline.lifecycle.ruleName,
      EventPattern: Match.objectLike({
        detail: Match.objectLike({ requestParameters: { userPoolId: [IMPORTED_POOL] } }),
      }),
    });
  });

  it('delivers to the lifecycle queue, with a delivery DLQ and a retry policy', () => {
    // Assess
    expect(propertiesOf(template, ruleId).Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(queueId),
        DeadLetterConfig: { Arn: arnOf(deliveryDlqId) },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      }),
    ]);
  });

  it('gives the lifecycle queue the shared settings, SSE and a redrive to its DLQ', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: settings.name,
      VisibilityTimeout: settings.visibilityTimeoutSeconds,
      MessageRetentionPeriod: settings.retentionDays * 86_400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: arnOf(dlqId),
        maxReceiveCount: settings.maxReceiveCount,
      },
    });
    for (const id of [dlqId, deliveryDlqId]) {
      expect(propertiesOf(template, id)).toEqual(
        expect.objectContaining({
          MessageRetentionPeriod: settings.dlqRetentionDays * 86_400,
          SqsManagedSseEnabled: true,
        }),
      );
    }
    expect(settings.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * (propertiesOf(template, lifecycleId).Timeout as number),
    );
  });

  it('denies every request not sent over TLS and every sender but the rule and the replay role', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Sid: 'DenySendersOtherThanTheRule',
            Effect: 'Deny',
            Action: 'sqs:SendMessage',
            Condition: {
              ArnNotEquals: { 'aws:SourceArn': arnOf(ruleId), 'aws:PrincipalArn': [REPLAY_ROLE] },
            },
          }),
        ]),
      },
    });
  });

  it('reads the lifecycle queue with partial batch responses, the shared batch settings and capped concurrency', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: lifecycleId },
      EventSourceArn: arnOf(queueId),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: pipeline.lifecycle.function.batchSize,
      MaximumBatchingWindowInSeconds: pipeline.lifecycle.function.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(propertiesOf(template, lifecycleId)).toEqual(
      expect.objectContaining({
        Timeout: pipeline.lifecycle.function.timeoutSeconds,
        MemorySize: pipeline.lifecycle.function.memoryMiB,
      }),
    );
  });

  it('configures user-lifecycle with the bus, the source, the pool and the published attributes', () => {
    // Assess
    expect(propertiesOf(template, lifecycleId).Environment).toEqual({
      Variables: {
        POWERTOOLS_SERVICE_NAME: ServiceName.UserLifecycle,
        POWERTOOLS_METRICS_NAMESPACE: pipeline.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        EVENT_BUS_NAME: { Ref: busId },
        EVENT_SOURCE: pipeline.eventSource,
        USER_POOL_IDS: { Ref: poolId },
        PUBLISHED_ATTRIBUTES: 'email',
      },
    });
  });

  it('allows user-lifecycle only ListUsers and AdminGetUser on this pool and PutEvents on the bus', () => {
    // Prepare
    const statements = statementsOfFunction(template, lifecycleId);
    const own = statements.filter(
      (statement) => !actionsOf([statement]).every((action) => /^(logs|xray|sqs):/.test(action)),
    );

    // Assess
    expect(own).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
        Resource: arnOf(poolId),
      }),
      expect.objectContaining({ Action: 'events:PutEvents', Resource: arnOf(busId) }),
    ]);
    // The event source mapping's grant: receive and delete on the lifecycle queue only.
    const sqsResources = statements
      .filter((statement) => actionsOf([statement]).some((action) => action.startsWith('sqs:')))
      .map((statement) => statement.Resource);
    expect(sqsResources).toEqual([arnOf(queueId)]);
    expect(actionsOf(statements)).not.toContain('sqs:SendMessage');
  });

  it("scopes the Cognito permissions to an imported pool's ARN", () => {
    // Act
    const { template: imported } = synthStack({ userPoolId: IMPORTED_POOL, env: TEST_ENV });
    const resource = new Capture();
    imported.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
            Resource: resource,
          }),
        ]),
      },
    });

    // Assess
    expect(JSON.stringify(resource.asObject())).toContain(`:userpool/${IMPORTED_POOL}`);
    expect(JSON.stringify(resource.asObject())).not.toContain('*');
    expect(
      (imported.toJSON().Resources as Record<string, unknown>)[
        functionIdOf(imported, ServiceName.UserLifecycle)
      ],
    ).toMatchObject({
      Properties: { Environment: { Variables: { USER_POOL_IDS: IMPORTED_POOL } } },
    });
  });

  it('outputs the lifecycle queue and its DLQ for the operator CLI', () => {
    // Assess
    template.hasOutput('LifecycleQueueUrl', { Value: { Ref: queueId } });
    template.hasOutput('LifecycleDeadLetterQueueUrl', { Value: { Ref: dlqId } });
  });
});

describe('Class: UserLifecycleHints', () => {
  it('takes its own event names and queue settings', () => {
    // Prepare
    const stack = new Stack();

    // Act
    new UserLifecycleHints(stack, 'Hints', {
      userPoolId: IMPORTED_POOL,
      eventNames: ['AdminDeleteUser'],
      ruleName: 'deletions',
      queue: { queueName: 'deletions', deadLetterQueueName: 'deletions-dlq' },
    });
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'deletions',
      EventPattern: Match.objectLike({
        detail: Match.objectLike({ eventName: ['AdminDeleteUser'] }),
      }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'deletions-delivery-dlq' });
  });

  it('throws when given no event names', () => {
    // Act
    const act = (): UserLifecycleHints =>
      new UserLifecycleHints(new Stack(), 'Hints', { userPoolId: IMPORTED_POOL, eventNames: [] });

    // Assess
    expect(act).toThrow(/eventNames must not be empty/);
  });
});

describe('Function: the services’ own loaders on the synthesized environments', () => {
  const { template } = synthStack({ userPoolId: IMPORTED_POOL, env: TEST_ENV });

  /** A function's variables, with each deploy-time reference replaced by a plausible value. */
  const variablesOf = (service: string): Record<string, string> => {
    const variables = (
      propertiesOf(template, functionIdOf(template, service)).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    const deployTime: Record<string, string> = {
      EVENT_BUS_NAME: 'cognito-hasura-sync',
      SYNC_QUEUE_URL:
        'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
    };
    return Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : (deployTime[name] ?? JSON.stringify(value)),
      ]),
    );
  };

  it('gives post-confirmation every variable its loader needs', async () => {
    // Prepare
    const { loadPostConfirmationConfig } = await import(
      '../../services/post-confirmation/config.js'
    );

    // Act
    const config = loadPostConfirmationConfig({
      ...variablesOf(ServiceName.PostConfirmation),
      AWS_REGION: TEST_ENV.region,
    });

    // Assess
    expect(config).toMatchObject({
      eventSource: pipeline.eventSource,
      publishedAttributes: ['email'],
      budgetMs: pipeline.postConfirmation.budgetMs,
    });
  });

  it('gives user-lifecycle every variable its loader needs, the imported pool included', async () => {
    // Prepare
    const { loadUserLifecycleConfig } = await import('../../services/user-lifecycle/config.js');

    // Act
    const config = loadUserLifecycleConfig({
      ...variablesOf(ServiceName.UserLifecycle),
      AWS_REGION: TEST_ENV.region,
    });

    // Assess
    expect(config.userPoolIds).toEqual(new Set([IMPORTED_POOL]));
    expect(config).toMatchObject({
      eventSource: pipeline.eventSource,
      publishedAttributes: ['email'],
    });
  });
});
