import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ScheduledReconcile,
  type ScheduledReconcileProps,
} from '../../infra/constructs/ScheduledReconcile.js';
import { MetricName } from '../../shared/metricNames.js';
import { HASURA_ENDPOINT, TEST_ENV } from './stackFixture.js';

const POOL_ID = 'eu-west-1_AbCdEf123';

/** A small stack of its own: an imported pool, bus and secret, and the construct. */
const reconcileStack = (props: Partial<ScheduledReconcileProps> = {}) => {
  const app = new App();
  const stack = new Stack(app, 'Reconcile', { env: TEST_ENV });
  const reconcile = new ScheduledReconcile(stack, 'Reconcile', {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', POOL_ID),
    eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'cognito-hasura-sync'),
    hasuraGraphqlEndpoint: HASURA_ENDPOINT,
    hasuraAdminSecret: secretsmanager.Secret.fromSecretCompleteArn(
      stack,
      'Secret',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin-AbCdEf',
    ),
    bundle: false,
    ...props,
  });
  return { app, stack, reconcile, template: Template.fromStack(stack) };
};

/** The state machine's definition, with the CloudFormation joins flattened to text. */
// biome-ignore lint/suspicious/noExplicitAny: the definition is read as parsed JSON
const definitionOf = (template: Template): Record<string, any> => {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const body = machine?.Properties?.DefinitionString;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[])
          .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
          .join('');
  return JSON.parse(text);
};

describe('Class: ScheduledReconcile', () => {
  it('starts the state machine daily through EventBridge Scheduler, enabled by default', () => {
    // Prepare, Act
    const { template } = reconcileStack();

    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('StateMachine') } }),
    });
  });

  it('can be turned off and given another schedule', () => {
    // Prepare, Act
    const { template } = reconcileStack({
      enabled: false,
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(6)),
    });

    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      State: 'DISABLED',
    });
  });

  it('maps over 16 sub partitions one at a time, refuses a second run, then finishes', () => {
    // Prepare, Act
    const { template } = reconcileStack();
    const definition = definitionOf(template);

    // Assess
    expect(definition.StartAt).toBe('ListRunningExecutions');
    expect(definition.States.ListRunningExecutions.Parameters).toMatchObject({
      StatusFilter: 'RUNNING',
    });
    expect(definition.States.AlreadyRunning.Choices[0]).toMatchObject({
      Variable: '$.running.count',
      NumericGreaterThan: 1,
      Next: 'AnotherRunInProgress',
    });
    expect(definition.States.Partitions.Parameters.prefixes).toEqual([...'0123456789abcdef']);
    expect(definition.States.EachPartition).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 1,
      ItemsPath: '$.prefixes',
    });
    expect(definition.States.Finish.Parameters).toMatchObject({ step: 'finish' });
    expect(
      definition.States.EachPartition.ItemProcessor.States.ReconcilePartition.Parameters,
    ).toMatchObject({ step: 'partition', 'prefix.$': '$.prefix' });
    expect(definition.States.Outcome.Choices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Variable: '$.stoppedAtMaxDeletes', Next: 'StoppedAtMaxDeletes' }),
      ]),
    );
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'cognito-hasura-sync-reconcile',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('gives the function ListUsers and AdminGetUser on this pool only, PutEvents on the bus', () => {
    // Prepare, Act
    const { template } = reconcileStack();
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      // biome-ignore lint/suspicious/noExplicitAny: statements are read as parsed JSON
      (policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>,
    );
    const cognitoStatements = statements.filter((s) =>
      [s.Action].flat().some((action: string) => action.startsWith('cognito-idp:')),
    );

    // Assess
    expect(cognitoStatements).toHaveLength(1);
    expect(cognitoStatements[0]?.Action).toEqual([
      'cognito-idp:ListUsers',
      'cognito-idp:AdminGetUser',
    ]);
    expect(JSON.stringify(cognitoStatements[0]?.Resource)).toContain(`userpool/${POOL_ID}`);
    expect(Array.isArray(cognitoStatements[0]?.Resource)).toBe(false);
    expect(JSON.stringify(cognitoStatements[0]?.Resource)).not.toContain('*');
    const putEvents = statements.filter((s) => s.Action === 'events:PutEvents');
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0]?.Resource)).toContain('event-bus/cognito-hasura-sync');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          USER_POOL_ID: POOL_ID,
          RECONCILE_MAX_DELETES: '10',
          RECONCILE_RATE: '5',
          RECONCILE_DRY_RUN: 'false',
        }),
      },
    });
  });

  it('splits the run rate between the partitions running at once', () => {
    // Prepare, Act
    const { template } = reconcileStack({ callsPerSecond: 10, maxConcurrency: 4 });

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RECONCILE_RATE: '2.5' }) },
    });
    expect(definitionOf(template).States.EachPartition.MaxConcurrency).toBe(4);
  });

  it('alarms on drift above the threshold and on a failed run', () => {
    // Prepare, Act
    const { template } = reconcileStack({ driftAlarmThreshold: 25 });

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MetricName.ReconcileDrift,
      Dimensions: [{ Name: 'service', Value: 'reconcile' }],
      Threshold: 25,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Threshold: 1,
    });
  });

  it.each([
    [{ partitionDepth: 3 }, /partitionDepth/],
    [{ maxConcurrency: 0 }, /maxConcurrency/],
    [{ callsPerSecond: 40 }, /callsPerSecond/],
    [{ maxDeletes: -1 }, /maxDeletes/],
  ])('refuses invalid props %p', (props, message) => {
    // Act, Assess
    expect(() => reconcileStack(props)).toThrow(message);
  });
});

describe('Class: AwsSolutionsChecks (cdk-nag) on ScheduledReconcile', () => {
  const deprecationMode = process.env.JSII_DEPRECATED;

  beforeAll(() => {
    process.env.JSII_DEPRECATED = 'quiet';
  });

  afterAll(() => {
    if (deprecationMode === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = deprecationMode;
  });

  it('reports no unacknowledged finding', () => {
    // Prepare
    const { app } = reconcileStack();

    // Act
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });
});
