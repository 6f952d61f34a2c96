import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { CONSUMER_NODE_OPTIONS } from '../../infra/lambdaRuntime.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  actionsOf,
  arnOf,
  functionIdOf,
  logicalIdOf,
  propertiesOf,
  statementsOfFunction,
  synthStack,
} from './stackFixture.js';

describe('Class: CognitoHasuraSyncStack (functions)', () => {
  const { template } = synthStack();
  const consumerId = functionIdOf(template, ServiceName.UserSync);
  const postAuthId = functionIdOf(template, ServiceName.PostAuthentication);
  const preTokenId = functionIdOf(template, ServiceName.PreTokenGeneration);
  const postConfirmationId = functionIdOf(template, ServiceName.PostConfirmation);
  const lifecycleId = functionIdOf(template, ServiceName.UserLifecycle);
  const allFunctions = [consumerId, postAuthId, preTokenId, postConfirmationId, lifecycleId];
  const busId = logicalIdOf(template, 'AWS::Events::EventBus');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: pipeline.syncQueue.name });
  const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret');

  it('runs every function on Node.js 22, arm64, with tracing and source maps', () => {
    // Assess
    for (const id of allFunctions) {
      expect(propertiesOf(template, id)).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: expect.stringMatching(/^--enable-source-maps\b/),
            POWERTOOLS_METRICS_NAMESPACE: pipeline.metricsNamespace,
            POWERTOOLS_LOG_LEVEL: 'INFO',
          }),
        },
      });
    }
  });

  it('gives only the consumer the larger young generation it is benchmarked with', () => {
    // Act
    const nodeOptionsOf = (id: string): unknown =>
      (propertiesOf(template, id).Environment as { Variables: Record<string, unknown> }).Variables
        .NODE_OPTIONS;

    // Assess
    expect(nodeOptionsOf(consumerId)).toBe(CONSUMER_NODE_OPTIONS);
    expect(CONSUMER_NODE_OPTIONS).toContain('--max-semi-space-size=32');
    for (const id of [postAuthId, preTokenId, postConfirmationId, lifecycleId]) {
      expect(nodeOptionsOf(id)).toBe('--enable-source-maps');
    }
  });

  it('gives every function its own log group with a retention', () => {
    // Assess
    for (const id of allFunctions) {
      const logGroup = (propertiesOf(template, id).LoggingConfig as { LogGroup: { Ref: string } })
        .LogGroup.Ref;
      expect(propertiesOf(template, logGroup)).toMatchObject({ RetentionInDays: 30 });
    }
  });

  it('reads the sync queue in batches with partial batch responses and capped concurrency', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      EventSourceArn: arnOf(queueId),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: pipeline.consumer.batchSize,
      MaximumBatchingWindowInSeconds: pipeline.consumer.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: pipeline.consumer.maxConcurrency },
    });
  });

  it('configures the consumer with the Hasura endpoint and the secret ARN, not the secret', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: pipeline.consumer.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: ServiceName.UserSync,
          HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
          HASURA_ADMIN_SECRET_ARN: { Ref: secretId },
          HASURA_ADMIN_SECRET: Match.absent(),
        }),
      },
    });
  });

  it('lets only the consumer and the scheduled reconcile read the Hasura admin secret', () => {
    // Act
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('secretsmanager:GetSecretValue'),
    );

    // Assess
    expect(readers).toHaveLength(2);
    for (const reader of [consumerId, functionIdOf(template, ServiceName.Reconcile)]) {
      expect(actionsOf(statementsOfFunction(template, reader))).toContain(
        'secretsmanager:GetSecretValue',
      );
    }
  });

  const triggers = [
    ['post-authentication', postAuthId, pipeline.postAuthentication],
    ['post-confirmation', postConfirmationId, pipeline.postConfirmation],
  ] as const;

  it.each(triggers)(
    'keeps the %s trigger well under the 5 s Cognito gives it',
    (_name, id, settings) => {
      // Prepare
      const timeout = propertiesOf(template, id).Timeout as number;

      // Assess
      expect(timeout).toBe(settings.timeoutSeconds);
      expect(timeout).toBeLessThanOrEqual(3);
      expect(settings.budgetMs).toBeLessThan(timeout * 1000);
    },
  );

  it.each(triggers)(
    'configures the %s trigger with the bus, the fallback queue and its budget',
    (_name, id, settings) => {
      // Assess
      expect(propertiesOf(template, id).Environment).toEqual({
        Variables: {
          POWERTOOLS_SERVICE_NAME: expect.any(String),
          POWERTOOLS_METRICS_NAMESPACE: pipeline.metricsNamespace,
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          EVENT_BUS_NAME: { Ref: busId },
          SYNC_QUEUE_URL: { Ref: queueId },
          EVENT_SOURCE: pipeline.eventSource,
          PUBLISHED_ATTRIBUTES: 'email',
          PUBLISH_BUDGET_MS: String(settings.budgetMs),
        },
      });
      expect(propertiesOf(template, id).MemorySize).toBe(settings.memoryMiB);
    },
  );

  it.each(triggers)(
    'allows the %s trigger only PutEvents on the bus and SendMessage to the sync queue',
    (_name, id, _settings) => {
      // Prepare
      const statements = statementsOfFunction(template, id);
      const own = statements.filter(
        (statement) => !actionsOf([statement]).every((action) => /^(logs|xray):/.test(action)),
      );

      // Assess
      expect(own).toEqual([
        expect.objectContaining({ Action: 'events:PutEvents', Resource: arnOf(busId) }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(queueId) }),
      ]);
      expect(new Set(actionsOf(statements))).toEqual(
        new Set([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'events:PutEvents',
          'sqs:SendMessage',
        ]),
      );
    },
  );

  it('writes logs of each function only to its own log group', () => {
    // Assess
    for (const id of allFunctions) {
      const logGroup = (propertiesOf(template, id).LoggingConfig as { LogGroup: { Ref: string } })
        .LogGroup.Ref;
      const logs = statementsOfFunction(template, id).filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('logs:')),
      );
      expect(logs).toEqual([expect.objectContaining({ Resource: arnOf(logGroup) })]);
    }
  });

  it('makes each function depend on its role policy only, not again on the role it references', () => {
    // Prepare
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; DependsOn?: string[]; Properties: Record<string, unknown> }
    >;

    // Assess
    for (const id of allFunctions) {
      const roleId = (propertiesOf(template, id).Role as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      const dependsOn = resources[id]?.DependsOn ?? [];
      expect(dependsOn).not.toContain(roleId);
      expect(dependsOn).toHaveLength(1);
      expect(resources[dependsOn[0] ?? '']).toMatchObject({
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: roleId }] },
      });
    }
  });

  it('attaches the three triggers to the created user pool, pre-token as V2', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PostAuthentication: arnOf(postAuthId),
        PostConfirmation: arnOf(postConfirmationId),
        PreTokenGenerationConfig: { LambdaArn: arnOf(preTokenId), LambdaVersion: 'V2_0' },
      },
      UserPoolTier: 'ESSENTIALS',
    });
    for (const id of [postAuthId, postConfirmationId, preTokenId]) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: arnOf(id),
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: arnOf(logicalIdOf(template, 'AWS::Cognito::UserPool')),
      });
    }
  });

  it('names the new functions as their services name themselves (the metrics dimension)', async () => {
    // Prepare
    const { POST_CONFIRMATION_SERVICE } = await import(
      '../../services/post-confirmation/compose.js'
    );
    const { USER_LIFECYCLE_SERVICE } = await import('../../services/user-lifecycle/compose.js');

    // Assess
    expect([ServiceName.PostConfirmation, ServiceName.UserLifecycle]).toEqual([
      POST_CONFIRMATION_SERVICE,
      USER_LIFECYCLE_SERVICE,
    ]);
  });

  it('outputs the ARN of every trigger', () => {
    // Assess
    template.hasOutput('PostAuthenticationFunctionArn', { Value: arnOf(postAuthId) });
    template.hasOutput('PostConfirmationFunctionArn', { Value: arnOf(postConfirmationId) });
    template.hasOutput('PreTokenGenerationFunctionArn', { Value: arnOf(preTokenId) });
  });

  it('passes the Hasura claim settings to the pre-token trigger', () => {
    // Assess
    expect(propertiesOf(template, preTokenId).Environment).toEqual({
      Variables: expect.objectContaining({
        HASURA_CLAIMS_FORMAT_V1: 'stringified_json',
        HASURA_CLAIMS_FORMAT_V2: 'json',
      }),
    });
  });

  it('turns no unmapped group into a role and names no admin group by default', () => {
    // Act
    const variables = (propertiesOf(template, preTokenId).Environment as { Variables: object })
      .Variables;

    // Assess
    expect(variables).toMatchObject({ HASURA_UNMAPPED_GROUPS_AS_ROLES: 'false' });
    expect(variables).not.toHaveProperty('HASURA_ADMIN_GROUPS');
  });
});
