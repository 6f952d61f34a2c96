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
import { PipelineMonitoring, ServiceName } from '../constructs/PipelineMonitoring.js';
import { SyncFunction } from '../constructs/SyncFunction.js';
import { UserPoolTriggers } from '../constructs/UserPoolTriggers.js';
import { CONSUMER_NODE_OPTIONS } from '../lambdaRuntime.js';
import type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';
import {
  eventContractSettings,
  preTokenGenerationSettings,
  userSyncSettings,
} from './serviceEnvironments.js';
import { validateStackProps } from './validateStackProps.js';

export type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';

/**
 * The whole pipeline: the login-event bus (archive, schema registry, optional cross-account
 * subscription), the sync rule → sync queue (+ DLQs) → `user-sync` consumer, the Cognito
 * triggers (`post-authentication`, `pre-token-generation`), the Hasura admin secret, alarms
 * and a dashboard.
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

    this.sync = new LoginEventSubscriber(this, 'UserSyncSubscription', {
      eventBus,
      eventSource: source,
      ruleName: pipeline.syncRuleName,
      description: 'Login events → sync queue → user-sync → Hasura',
      // Only the schema versions the consumer reads; see syncEventPattern.
      eventPattern: { detail: syncEventPattern(source).detail },
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

    this.consumer = new SyncFunction(this, 'UserSync', {
      ...common,
      entry: 'services/user-sync/handler.ts',
      serviceName: ServiceName.UserSync,
      description: 'Writes login events from the sync queue into Hasura, one request per batch',
      timeout: props.consumerTimeout ?? Duration.seconds(pipeline.consumer.timeoutSeconds),
      memorySize: pipeline.consumer.memoryMiB,
      nodeOptions: CONSUMER_NODE_OPTIONS,
      environment: {
        HASURA_GRAPHQL_ENDPOINT: props.hasuraGraphqlEndpoint ?? this.endpointParameter(),
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

    this.postAuthentication = new SyncFunction(this, 'PostAuthentication', {
      ...common,
      entry: 'services/post-authentication/handler.ts',
      serviceName: ServiceName.PostAuthentication,
      description: 'Publishes UserAuthenticated after each sign-in; never blocks the sign-in',
      timeout: Duration.seconds(pipeline.postAuthentication.timeoutSeconds),
      memorySize: pipeline.postAuthentication.memoryMiB,
      environment: {
        EVENT_BUS_NAME: eventBus.eventBusName,
        SYNC_QUEUE_URL: syncQueue.queueUrl,
        ...eventContractSettings(props),
        PUBLISH_BUDGET_MS: String(pipeline.postAuthentication.budgetMs),
      },
    });
    // Exactly two permissions (beyond logs and tracing): no grant* helper, which adds more.
    this.postAuthentication.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBus.eventBusArn] }),
    );
    this.postAuthentication.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [syncQueue.queueArn] }),
    );
    // Only the publishers named here may put login events on the bus or messages on the sync
    // queue: any other principal of the account that holds PutEvents or SendMessage is denied.
    const triggerRole = this.postAuthentication.role;
    if (triggerRole === undefined) throw new Error('The post-authentication trigger has no role');
    this.loginEvents.restrictPublishers([triggerRole.roleArn, ...(props.publisherRoleArns ?? [])]);
    this.sync.restrictSenders([triggerRole.roleArn, ...(props.dlqReplayRoleArns ?? [])]);

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
      preTokenGeneration: this.preTokenGeneration,
      preTokenGenerationVersion: preTokenVersion,
      ...pick(props, ['userPoolId']),
    }).userPool;
    // The consumer applies only this pool's events (a backfill of another pool is refused).
    this.consumer.addEnvironment('USER_POOL_IDS', this.userPool.userPoolId);

    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      syncQueue,
      deadLetterQueues: {
        SyncDeadLetterQueue: deadLetterQueue,
        SyncDeliveryDeadLetterQueue: deliveryDeadLetterQueue,
      },
      consumer: this.consumer,
      postAuthentication: this.postAuthentication,
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
    outFn(this, 'PostAuthenticationFunctionArn', this.postAuthentication);
    outFn(this, 'PreTokenGenerationFunctionArn', this.preTokenGeneration);
  }
}

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
