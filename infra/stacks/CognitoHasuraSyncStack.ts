import { CfnOutput, CfnParameter, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { pipeline, syncEventPattern } from '../../shared/pipeline.js';
import { LoginEventBus } from '../constructs/LoginEventBus.js';
import { LoginEventSubscriber } from '../constructs/LoginEventSubscriber.js';
import { ManagementEventsTrail } from '../constructs/ManagementEventsTrail.js';
import { PipelineMonitoring, ServiceName } from '../constructs/PipelineMonitoring.js';
import { ScheduledReconcile } from '../constructs/ScheduledReconcile.js';
import { SyncFunction, type SyncFunctionProps } from '../constructs/SyncFunction.js';
import { UserLifecycleHints } from '../constructs/UserLifecycleHints.js';
import { UserPoolTriggers } from '../constructs/UserPoolTriggers.js';
import { CONSUMER_NODE_OPTIONS } from '../lambdaRuntime.js';
import type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';
import {
  preTokenGenerationSettings,
  publishingTriggerSettings,
  userLifecycleSettings,
  userSyncSettings,
} from './serviceEnvironments.js';
import { validateStackProps } from './validateStackProps.js';

export type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';

/**
 * The whole pipeline: the user-event bus (archive, schema registry, optional cross-account
 * subscription), the sync rule (every detail type) → sync queue (+ DLQs) → `user-sync`
 * consumer, the Cognito triggers (`post-authentication`, `post-confirmation`,
 * `pre-token-generation`), the lifecycle path (CloudTrail's Cognito API calls on the default bus
 * → lifecycle queue (+ DLQs) → `user-lifecycle`), optionally a CloudTrail trail, the Hasura
 * admin secret, alarms and a dashboard.
 *
 * @example
 * new CognitoHasuraSyncStack(app, 'CognitoHasuraSync', {
 *   hasuraGraphqlEndpoint: 'https://hasura.example.com/v1/graphql',
 *   userPoolId: 'eu-west-1_AbCdEf123',
 * });
 */
export class CognitoHasuraSyncStack extends Stack {
  /** The login-event bus and its archive and schema. */
  public readonly loginEvents: LoginEventBus;
  /** The sync rule with its queue, DLQ and delivery DLQ. */
  public readonly sync: LoginEventSubscriber;
  /** The sync queue the consumer reads. */
  public readonly syncQueue: sqs.Queue;
  /** The `user-sync` consumer. */
  public readonly consumer: SyncFunction;
  /** The post-authentication trigger. */
  public readonly postAuthentication: SyncFunction;
  /** The post-confirmation trigger (publishes `UserSignedUp`). */
  public readonly postConfirmation: SyncFunction;
  /** The lifecycle rule on the default bus with its queue and DLQs. */
  public readonly lifecycleHints: UserLifecycleHints;
  /** The `user-lifecycle` function: re-reads changed users and publishes lifecycle events. */
  public readonly userLifecycle: SyncFunction;
  /** The trail of management events, when `createTrail` is set. */
  public readonly trail: ManagementEventsTrail | undefined;
  /** The scheduled reconcile, unless `reconcile: false`. */
  public readonly reconcile: ScheduledReconcile | undefined;
  /** The pre-token-generation trigger. */
  public readonly preTokenGeneration: SyncFunction;
  /** The user pool (created, or imported by id). */
  public readonly userPool: cognito.IUserPool;
  /** The secret holding Hasura's admin secret. */
  public readonly hasuraAdminSecret: secretsmanager.ISecret;
  /** Alarms and dashboard. */
  public readonly monitoring: PipelineMonitoring;
  /** The example second subscriber, when `exampleSubscriber` is set. */
  public readonly exampleSubscriber: LoginEventSubscriber | undefined;

  public constructor(scope: Construct, id: string, props: CognitoHasuraSyncStackProps) {
    super(scope, id, props);
    validateStackProps(this, props);
    const source = props.eventSource ?? pipeline.eventSource;
    const bundle = props.bundle ?? true;
    const common = {
      bundle,
      ...(props.logLevel === undefined ? {} : { logLevel: props.logLevel }),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    };

    this.loginEvents = new LoginEventBus(this, 'LoginEvents', {
      eventSource: source,
      ...pick(props, ['archiveRetention', 'subscriberAccountIds', 'subscriberOrganizationId']),
    });
    const eventBus = this.loginEvents.eventBus;

    const syncPattern = syncEventPattern(source);
    this.sync = new LoginEventSubscriber(this, 'UserSyncSubscription', {
      eventBus,
      eventSource: source,
      ruleName: pipeline.syncRuleName,
      description: 'User events (logins and lifecycle) → sync queue → user-sync → Hasura',
      // Every detail type, only the schema versions the consumer reads; see syncEventPattern.
      detailTypes: syncPattern['detail-type'],
      eventPattern: { detail: syncPattern.detail },
      queue: {
        queueName: pipeline.syncQueue.name,
        deadLetterQueueName: pipeline.syncQueue.dlqName,
        visibilityTimeout: Duration.seconds(pipeline.syncQueue.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(pipeline.syncQueue.retentionDays),
        deadLetterRetentionPeriod: Duration.days(pipeline.syncQueue.dlqRetentionDays),
        maxReceiveCount: pipeline.syncQueue.maxReceiveCount,
      },
      deliveryDeadLetterQueueName: `${pipeline.syncQueue.name}-delivery-dlq`,
    });
    const { queue: syncQueue, deadLetterQueue, deliveryDeadLetterQueue } = this.sync;
    if (
      syncQueue === undefined ||
      deadLetterQueue === undefined ||
      deliveryDeadLetterQueue === undefined
    ) {
      throw new Error('The sync subscription must create its queues');
    }
    this.syncQueue = syncQueue;

    this.hasuraAdminSecret = this.adminSecret(props.hasuraAdminSecretArn);

    const hasuraGraphqlEndpoint = props.hasuraGraphqlEndpoint ?? this.endpointParameter();
    this.consumer = new SyncFunction(this, 'UserSync', {
      ...common,
      entry: 'services/user-sync/handler.ts',
      serviceName: ServiceName.UserSync,
      description: 'Writes login events from the sync queue into Hasura, one request per batch',
      timeout: props.consumerTimeout ?? Duration.seconds(pipeline.consumer.timeoutSeconds),
      memorySize: pipeline.consumer.memoryMiB,
      nodeOptions: CONSUMER_NODE_OPTIONS,
      environment: {
        HASURA_GRAPHQL_ENDPOINT: hasuraGraphqlEndpoint,
        HASURA_ADMIN_SECRET_ARN: this.hasuraAdminSecret.secretArn,
        ...userSyncSettings(props),
      },
    });
    // The only principal of this stack that may read the secret.
    this.hasuraAdminSecret.grantRead(this.consumer);
    if (props.hasuraAdminSecretKmsKeyArn !== undefined) {
      // Written out: `grantRead` of a secret imported with `encryptionKey` grants nothing for an
      // imported key (CDK puts the via-service grant in the key policy, which it cannot edit).
      this.consumer.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.hasuraAdminSecretKmsKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` },
          },
        }),
      );
    }
    this.consumer.addEventSource(
      new SqsEventSource(syncQueue, {
        reportBatchItemFailures: true,
        batchSize: props.consumerBatchSize ?? pipeline.consumer.batchSize,
        maxBatchingWindow: Duration.seconds(pipeline.consumer.maxBatchingWindowSeconds),
        maxConcurrency: props.consumerMaxConcurrency ?? pipeline.consumer.maxConcurrency,
      }),
    );

    this.postAuthentication = this.publishingTrigger(
      'PostAuthentication',
      {
        ...common,
        entry: 'services/post-authentication/handler.ts',
        serviceName: ServiceName.PostAuthentication,
        description: 'Publishes UserAuthenticated after each sign-in; never blocks the sign-in',
      },
      pipeline.postAuthentication,
      props,
    );
    this.postConfirmation = this.publishingTrigger(
      'PostConfirmation',
      {
        ...common,
        entry: 'services/post-confirmation/handler.ts',
        serviceName: ServiceName.PostConfirmation,
        description: 'Publishes UserSignedUp after each confirmed sign-up; never blocks it',
      },
      pipeline.postConfirmation,
      props,
    );

    const preTokenVersion = props.preTokenGenerationVersion ?? 'V2';
    this.preTokenGeneration = new SyncFunction(this, 'PreTokenGeneration', {
      ...common,
      entry: 'services/pre-token-generation/handler.ts',
      serviceName: ServiceName.PreTokenGeneration,
      description: `Adds the Hasura JWT claims to tokens (pre token generation ${preTokenVersion})`,
      timeout: Duration.seconds(pipeline.preTokenGeneration.timeoutSeconds),
      memorySize: pipeline.preTokenGeneration.memoryMiB,
      environment: preTokenGenerationSettings(props),
    });

    this.userPool = new UserPoolTriggers(this, 'Cognito', {
      postAuthentication: this.postAuthentication,
      postConfirmation: this.postConfirmation,
      preTokenGeneration: this.preTokenGeneration,
      preTokenGenerationVersion: preTokenVersion,
      ...pick(props, ['userPoolId']),
    }).userPool;
    // The consumer applies only this pool's events (a backfill of another pool is refused).
    this.consumer.addEnvironment('USER_POOL_IDS', this.userPool.userPoolId);

    this.lifecycleHints = new UserLifecycleHints(this, 'UserLifecycleHints', {
      userPoolId: this.userPool.userPoolId,
    });
    this.userLifecycle = this.lifecycleFunction(common, props);
    this.trail =
      props.createTrail === true
        ? new ManagementEventsTrail(this, 'ManagementEvents', {
            ...(props.trailLogRetention === undefined
              ? {}
              : { logRetention: props.trailLogRetention }),
          })
        : undefined;

    this.reconcile =
      props.reconcile === false
        ? undefined
        : new ScheduledReconcile(this, 'Reconcile', {
            userPool: this.userPool,
            eventBus: this.loginEvents.eventBus,
            hasuraGraphqlEndpoint,
            hasuraAdminSecret: this.hasuraAdminSecret,
            eventSource: source,
            ...(props.publishedAttributes === undefined
              ? {}
              : { publishedAttributes: props.publishedAttributes }),
            ...(props.usersColumnMap === undefined
              ? {}
              : { usersColumnMap: JSON.stringify(props.usersColumnMap) }),
            ...(props.alarmTopic === undefined ? {} : { alarmTopic: props.alarmTopic }),
            ...(props.reconcile ?? {}),
          });

    // Only the publishers named here may put user events on the bus or messages on the sync
    // queue: any other principal of the account that holds PutEvents or SendMessage is denied.
    const triggerRoles = [roleArnOf(this.postAuthentication), roleArnOf(this.postConfirmation)];
    this.loginEvents.restrictPublishers([
      ...triggerRoles,
      roleArnOf(this.userLifecycle),
      ...(this.reconcile === undefined ? [] : [roleArnOf(this.reconcile.function)]),
      ...(props.publisherRoleArns ?? []),
    ]);
    this.sync.restrictSenders([...triggerRoles, ...(props.dlqReplayRoleArns ?? [])]);
    this.lifecycleHints.restrictSenders(props.dlqReplayRoleArns ?? []);

    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      syncQueue,
      deadLetterQueues: {
        SyncDeadLetterQueue: deadLetterQueue,
        SyncDeliveryDeadLetterQueue: deliveryDeadLetterQueue,
        LifecycleDeadLetterQueue: this.lifecycleHints.deadLetterQueue,
        LifecycleDeliveryDeadLetterQueue: this.lifecycleHints.deliveryDeadLetterQueue,
      },
      consumer: this.consumer,
      postAuthentication: this.postAuthentication,
      postConfirmation: this.postConfirmation,
      lifecycle: { queue: this.lifecycleHints.queue, function: this.userLifecycle },
      ...pick(props, ['oldestMessageAgeThreshold', 'alarmTopic']),
    });

    this.exampleSubscriber =
      props.exampleSubscriber === true
        ? new LoginEventSubscriber(this, 'LoginAuditSubscription', {
            eventBus,
            eventSource: source,
            ruleName: pipeline.exampleSubscriber.ruleName,
            description: 'Example second subscriber: a login audit queue',
            queue: {
              queueName: pipeline.exampleSubscriber.queueName,
              deadLetterQueueName: pipeline.exampleSubscriber.dlqName,
            },
          })
        : undefined;

    this.outputs(deadLetterQueue);
  }

  /**
   * A trigger that publishes user events: PutEvents on the bus within its budget, SendMessage to
   * the sync queue as the fallback, and exactly those two permissions (beyond logs and tracing;
   * no grant* helper, which adds more).
   */
  private publishingTrigger(
    id: string,
    fn: Pick<SyncFunctionProps, 'entry' | 'serviceName' | 'description'> &
      Omit<Partial<SyncFunctionProps>, 'entry' | 'serviceName' | 'description'>,
    settings: { timeoutSeconds: number; memoryMiB: number; budgetMs: number },
    props: CognitoHasuraSyncStackProps,
  ): SyncFunction {
    const eventBus = this.loginEvents.eventBus;
    const trigger = new SyncFunction(this, id, {
      ...fn,
      timeout: Duration.seconds(settings.timeoutSeconds),
      memorySize: settings.memoryMiB,
      environment: {
        EVENT_BUS_NAME: eventBus.eventBusName,
        SYNC_QUEUE_URL: this.syncQueue.queueUrl,
        ...publishingTriggerSettings(props, settings.budgetMs),
      },
    });
    trigger.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBus.eventBusArn] }),
    );
    trigger.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.syncQueue.queueArn],
      }),
    );
    return trigger;
  }

  /**
   * `user-lifecycle`: reads the lifecycle queue (partial batch responses), re-reads each user of
   * this pool in Cognito (`ListUsers`, `AdminGetUser` on this pool only) and publishes the
   * lifecycle events on the bus (`PutEvents` on it only).
   */
  private lifecycleFunction(
    common: Pick<SyncFunctionProps, 'bundle' | 'logLevel' | 'logRetention'>,
    props: CognitoHasuraSyncStackProps,
  ): SyncFunction {
    const settings = pipeline.lifecycle.function;
    const eventBus = this.loginEvents.eventBus;
    const fn = new SyncFunction(this, 'UserLifecycle', {
      ...common,
      entry: 'services/user-lifecycle/handler.ts',
      serviceName: ServiceName.UserLifecycle,
      description:
        'Re-reads users changed through the Cognito API (CloudTrail) and publishes their lifecycle events',
      timeout: Duration.seconds(settings.timeoutSeconds),
      memorySize: settings.memoryMiB,
      environment: {
        EVENT_BUS_NAME: eventBus.eventBusName,
        ...userLifecycleSettings(props),
        USER_POOL_IDS: this.userPool.userPoolId,
      },
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
        resources: [this.userPool.userPoolArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBus.eventBusArn] }),
    );
    fn.addEventSource(
      new SqsEventSource(this.lifecycleHints.queue, {
        reportBatchItemFailures: true,
        batchSize: settings.batchSize,
        maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
        maxConcurrency: settings.maxConcurrency,
      }),
    );
    return fn;
  }

  /** The endpoint as a deploy-time parameter, when no value is given at synth time. */
  private endpointParameter(): string {
    return new CfnParameter(this, 'HasuraGraphqlEndpoint', {
      type: 'String',
      description: "Hasura's GraphQL endpoint, e.g. https://hasura.example.com/v1/graphql",
      allowedPattern: '^https://[^/]+/.+$',
      constraintDescription: 'an https URL with a path, e.g. https://hasura.example.com/v1/graphql',
    }).valueAsString;
  }

  /** The Hasura admin secret: imported by ARN, or created with a generated value. */
  private adminSecret(arn: string | undefined): secretsmanager.ISecret {
    if (arn !== undefined) {
      // A complete ARN ends in "-" + 6 random characters; without them it is a partial ARN.
      return /-[A-Za-z0-9]{6}$/.test(arn)
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'HasuraAdminSecret', arn)
        : secretsmanager.Secret.fromSecretPartialArn(this, 'HasuraAdminSecret', arn);
    }
    const secret = new secretsmanager.Secret(this, 'HasuraAdminSecret', {
      description:
        'Hasura admin secret used by the user-sync consumer; set the same value as HASURA_GRAPHQL_ADMIN_SECRET',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Hasura admin secret lives in Hasura too (HASURA_GRAPHQL_ADMIN_SECRET); rotating it needs a Hasura restart, so rotation is an operator runbook step, not a Lambda.',
    });
    // Secret declares optional members that ISecret requires; they only differ under
    // exactOptionalPropertyTypes, so the widening is safe.
    return secret as unknown as secretsmanager.ISecret;
  }

  /** Outputs the operator CLI and the Cognito wiring need. */
  private outputs(deadLetterQueue: sqs.IQueue): void {
    const out = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    out('EventBusName', this.loginEvents.eventBus.eventBusName, 'EVENT_BUS_NAME');
    out('SyncQueueUrl', this.syncQueue.queueUrl, 'The sync queue');
    out('SyncDeadLetterQueueUrl', deadLetterQueue.queueUrl, 'Source of replay-dlq');
    out('ArchiveName', this.loginEvents.archive.archiveName, 'Source of replay-archive');
    out('UserPoolId', this.userPool.userPoolId, 'The user pool');
    out('HasuraAdminSecretArn', this.hasuraAdminSecret.secretArn, 'Hasura admin secret');
    out('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    out('LifecycleQueueUrl', this.lifecycleHints.queue.queueUrl, 'The lifecycle queue');
    out(
      'LifecycleDeadLetterQueueUrl',
      this.lifecycleHints.deadLetterQueue.queueUrl,
      'Source of replay-dlq (lifecycle)',
    );
    if (this.trail !== undefined) {
      out('TrailArn', this.trail.trail.trailArn, 'Trail of management events (lifecycle path)');
    }
    outFn(this, 'PostAuthenticationFunctionArn', this.postAuthentication);
    outFn(this, 'PostConfirmationFunctionArn', this.postConfirmation);
    outFn(this, 'PreTokenGenerationFunctionArn', this.preTokenGeneration);
  }
}

/** The ARN of a function's execution role. */
const roleArnOf = (fn: lambda.IFunction): string => {
  if (fn.role === undefined) throw new Error(`Function ${fn.node.id} has no role`);
  return fn.role.roleArn;
};

/** Outputs a function's ARN. */
const outFn = (stack: Stack, id: string, fn: lambda.IFunction): void => {
  new CfnOutput(stack, id, { value: fn.functionArn, description: 'Lambda trigger ARN' });
};

/** The given keys of an object that are set (exactOptionalPropertyTypes forbids `undefined`). */
const pick = <T extends object, K extends keyof T>(
  object: T,
  keys: readonly K[],
): { [P in K]?: Exclude<T[P], undefined> } => {
  const out: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined) out[key] = value as Exclude<T[K], undefined>;
  }
  return out;
};
