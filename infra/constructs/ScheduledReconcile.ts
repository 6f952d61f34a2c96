import {
  ArnFormat,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DEFAULT_MAX_DELETES, DEFAULT_RECONCILE_RATE } from '../../services/reconcile/config.js';
import { subPrefixes } from '../../services/reconcile/partitions.js';
import { MetricName } from '../../shared/metricNames.js';
import { pipeline } from '../../shared/pipeline.js';
import { ServiceName } from './PipelineMonitoring.js';
import { SyncFunction } from './SyncFunction.js';

/** Properties of {@link ScheduledReconcile}. */
export interface ScheduledReconcileProps {
  /** The pool reconciled: the job may call ListUsers and AdminGetUser on it, and nothing else. */
  readonly userPool: cognito.IUserPool;
  /** The bus the repairs are published to (PutEvents only). */
  readonly eventBus: events.IEventBus;
  /** `HASURA_GRAPHQL_ENDPOINT`: the full `/v1/graphql` URL. */
  readonly hasuraGraphqlEndpoint: string;
  /** The secret holding the Hasura admin secret (read access is granted). */
  readonly hasuraAdminSecret: secretsmanager.ISecret;
  /**
   * When runs start.
   * @default scheduler.ScheduleExpression.rate(Duration.days(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Whether the schedule starts runs (`false` keeps the state machine for manual runs).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Report only: publish no repair (`RECONCILE_DRY_RUN`).
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Most users a run may delete; a run that finds more orphans deletes none and fails.
   * @default DEFAULT_MAX_DELETES (10)
   */
  readonly maxDeletes?: number;
  /**
   * Cognito calls per second of the whole run (ListUsers quota: 30/s per account, shared),
   * split evenly between the partitions running at once.
   * @default DEFAULT_RECONCILE_RATE (5)
   */
  readonly callsPerSecond?: number;
  /**
   * Hex digits of the sub prefixes the pool is split by: 1 gives 16 partitions (up to about
   * 1.6 million users within one Lambda's 15 minutes each at 5 calls/s), 2 gives 256.
   * @default 1
   */
  readonly partitionDepth?: number;
  /**
   * Partitions reconciled at once (the Map's concurrency).
   * @default 1
   */
  readonly maxConcurrency?: number;
  /**
   * The alarm fires when a run finds more drifted users (missing + stale + orphaned) than this.
   * @default 100
   */
  readonly driftAlarmThreshold?: number;
  /**
   * Where the alarms notify.
   * @default - no action
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * `PUBLISHED_ATTRIBUTES`: the attributes the repair events carry (the deployment's allow-list).
   * @default ['email']
   */
  readonly publishedAttributes?: readonly string[];
  /**
   * The consumer's `USERS_COLUMN_MAP` (JSON), for the columns compared.
   * @default - the users table of docs/lifecycle.md
   */
  readonly usersColumnMap?: string;
  /**
   * `EVENT_SOURCE` of the repair events.
   * @default pipeline.eventSource
   */
  readonly eventSource?: string;
  /**
   * Name of the state machine.
   * @default 'cognito-hasura-sync-reconcile'
   */
  readonly stateMachineName?: string;
  /**
   * Bundle the Lambda (false: a stub, for tests of the infrastructure).
   * @default true
   */
  readonly bundle?: boolean;
}

/**
 * The scheduled reconcile: an EventBridge Scheduler schedule (daily by default, can be turned
 * off) starts a Step Functions state machine that refuses to run beside another run of itself,
 * reconciles the partitions of the sub space in a Map (the same code as the CLI), then a last
 * step that deletes confirmed orphans only within `maxDeletes`, emits one metric per drift class
 * and writes the report to its log group (`reconcile report`) and the execution's output. A
 * failed or stopped run can be redriven (`aws stepfunctions redrive-execution`): finished
 * partitions are not run again.
 *
 * @example
 * new ScheduledReconcile(this, 'Reconcile', { userPool, eventBus, hasuraGraphqlEndpoint, hasuraAdminSecret });
 */
export class ScheduledReconcile extends Construct {
  /** The function running each step. */
  public readonly function: SyncFunction;
  /** The state machine of one run. */
  public readonly stateMachine: sfn.StateMachine;
  /** The schedule that starts runs. */
  public readonly schedule: scheduler.Schedule;
  /** Drift above the threshold, and failed runs (errors, max-deletes stops). */
  public readonly alarms: {
    readonly drift: cloudwatch.Alarm;
    readonly failedRuns: cloudwatch.Alarm;
  };

  public constructor(scope: Construct, id: string, props: ScheduledReconcileProps) {
    super(scope, id);
    const depth = props.partitionDepth ?? 1;
    const concurrency = props.maxConcurrency ?? 1;
    const rate = props.callsPerSecond ?? DEFAULT_RECONCILE_RATE;
    const maxDeletes = props.maxDeletes ?? DEFAULT_MAX_DELETES;
    ScheduledReconcile.validate(id, { depth, concurrency, rate, maxDeletes });
    const stateMachineName = props.stateMachineName ?? 'cognito-hasura-sync-reconcile';

    this.function = new SyncFunction(this, 'Function', {
      entry: 'services/reconcile/handler.ts',
      serviceName: ServiceName.Reconcile,
      description: 'Reconciles a partition of the Cognito pool with the users table',
      timeout: Duration.minutes(15),
      memorySize: 512,
      ...(props.bundle === undefined ? {} : { bundle: props.bundle }),
      environment: {
        USER_POOL_ID: props.userPool.userPoolId,
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        EVENT_SOURCE: props.eventSource ?? pipeline.eventSource,
        HASURA_GRAPHQL_ENDPOINT: props.hasuraGraphqlEndpoint,
        HASURA_ADMIN_SECRET_ARN: props.hasuraAdminSecret.secretArn,
        PUBLISHED_ATTRIBUTES: (props.publishedAttributes ?? ['email']).join(','),
        RECONCILE_MAX_DELETES: String(maxDeletes),
        // Partitions run side by side share the run's rate.
        RECONCILE_RATE: String(rate / concurrency),
        RECONCILE_DRY_RUN: String(props.dryRun ?? false),
        ...(props.usersColumnMap === undefined ? {} : { USERS_COLUMN_MAP: props.usersColumnMap }),
      },
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
        resources: [props.userPool.userPoolArn],
      }),
    );
    props.eventBus.grantPutEventsTo(this.function);
    props.hasuraAdminSecret.grantRead(this.function);

    this.stateMachine = this.buildStateMachine(stateMachineName, depth, concurrency);

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts the reconcile of Cognito with the users table',
      schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.days(1)),
      enabled: props.enabled ?? true,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 0,
      }),
    });

    const drift = new cloudwatch.Metric({
      namespace: pipeline.metricsNamespace,
      metricName: MetricName.ReconcileDrift,
      dimensionsMap: { service: 'reconcile' },
      statistic: 'Maximum',
      period: Duration.days(1),
    });
    this.alarms = {
      drift: drift.createAlarm(this, 'DriftAlarm', {
        alarmDescription: `A reconcile run found more than ${props.driftAlarmThreshold ?? 100} users out of step (missing + stale + orphaned): events are being lost. See the "reconcile report" in the reconcile function's logs.`,
        threshold: props.driftAlarmThreshold ?? 100,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      failedRuns: this.stateMachine
        .metricFailed({ period: Duration.days(1), statistic: 'Sum' })
        .createAlarm(this, 'FailedRunAlarm', {
          alarmDescription:
            'A reconcile run failed, or stopped at its max-deletes limit without deleting anything (check the pool and the Hasura endpoint).',
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    };
    if (props.alarmTopic) {
      const action = new actions.SnsAction(props.alarmTopic);
      for (const alarm of Object.values(this.alarms)) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** One run: refuse to overlap, Map over the partitions, finish, fail on a stop. */
  private buildStateMachine(name: string, depth: number, concurrency: number): sfn.StateMachine {
    const stack = Stack.of(this);
    // Built from the name, not the resource: the role may then name it without a cycle.
    const ownArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const running = new tasks.CallAwsService(this, 'ListRunningExecutions', {
      service: 'sfn',
      action: 'listExecutions',
      parameters: { StateMachineArn: ownArn, StatusFilter: 'RUNNING', MaxResults: 2 },
      iamResources: [ownArn],
      iamAction: 'states:ListExecutions',
      resultSelector: { 'count.$': 'States.ArrayLength($.Executions)' },
      resultPath: '$.running',
    });
    const plan = new sfn.Pass(this, 'Partitions', {
      parameters: {
        prefixes: subPrefixes(depth),
        'startedAt.$': '$$.Execution.StartTime',
      },
    });
    const partition = new tasks.LambdaInvoke(this, 'ReconcilePartition', {
      lambdaFunction: this.function,
      payload: sfn.TaskInput.fromObject({
        step: 'partition',
        'prefix.$': '$.prefix',
        'startedAt.$': '$.startedAt',
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    partition.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(30),
      maxAttempts: 2,
      backoffRate: 2,
    });
    const map = new sfn.Map(this, 'EachPartition', {
      itemsPath: '$.prefixes',
      itemSelector: { 'prefix.$': '$$.Map.Item.Value', 'startedAt.$': '$.startedAt' },
      maxConcurrency: concurrency,
      resultPath: '$.partitions',
    });
    map.itemProcessor(partition);
    const finish = new tasks.LambdaInvoke(this, 'Finish', {
      lambdaFunction: this.function,
      payload: sfn.TaskInput.fromObject({
        step: 'finish',
        'startedAt.$': '$.startedAt',
        'partitions.$': '$.partitions',
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    const outcome = new sfn.Choice(this, 'Outcome')
      .when(
        sfn.Condition.booleanEquals('$.stoppedAtMaxDeletes', true),
        new sfn.Fail(this, 'StoppedAtMaxDeletes', {
          error: 'MaxDeletesReached',
          cause: 'More orphaned rows than maxDeletes: nothing was deleted',
        }),
      )
      .when(
        sfn.Condition.numberGreaterThan('$.failed', 0),
        new sfn.Fail(this, 'RepairsFailed', {
          error: 'RepairsFailed',
          cause: 'Some repair events could not be published',
        }),
      )
      .otherwise(new sfn.Succeed(this, 'Done'));
    const definition = running.next(
      new sfn.Choice(this, 'AlreadyRunning')
        .when(
          sfn.Condition.numberGreaterThan('$.running.count', 1),
          new sfn.Succeed(this, 'AnotherRunInProgress', {
            comment: 'Never two runs at once: this one ends without doing anything.',
          }),
        )
        .otherwise(plan.next(map).next(finish).next(outcome)),
    );
    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(12),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const functionId = stack.getLogicalId(this.function.node.defaultChild as CfnResource);
    Validations.of(stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          "LambdaInvoke grants the function and its versions (ARN:*); it is the construct's own function.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (xray:PutTraceSegments, …) and CloudWatch Logs delivery (logs:CreateLogDelivery, …) support no resource-level permissions.',
      },
    );
    return stateMachine;
  }

  private static validate(
    id: string,
    values: { depth: number; concurrency: number; rate: number; maxDeletes: number },
  ): void {
    if (!Number.isInteger(values.depth) || values.depth < 0 || values.depth > 2) {
      throw new Error(`ScheduledReconcile ${id}: partitionDepth must be 0, 1 or 2`);
    }
    if (
      !Number.isInteger(values.concurrency) ||
      values.concurrency < 1 ||
      values.concurrency > 16
    ) {
      throw new Error(`ScheduledReconcile ${id}: maxConcurrency must be an integer from 1 to 16`);
    }
    if (!(values.rate > 0) || values.rate > 30) {
      throw new Error(
        `ScheduledReconcile ${id}: callsPerSecond must be > 0 and at most 30 (Cognito's ListUsers quota)`,
      );
    }
    if (!Number.isInteger(values.maxDeletes) || values.maxDeletes < 0) {
      throw new Error(`ScheduledReconcile ${id}: maxDeletes must be a whole number ≥ 0`);
    }
  }
}
