import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { fileReasonLog } from '../cli/console/deadLetterReasons.js';
import { localCredentials } from '../cli/localCredentials.js';
import type { ComposedPostAuthentication } from '../services/post-authentication/compose.js';
import type { PostAuthenticationHandler } from '../services/post-authentication/postAuthentication.js';
import type { PostConfirmationHandler } from '../services/post-confirmation/postConfirmation.js';
import type { Env } from '../shared/env.js';
import { pipeline } from '../shared/pipeline.js';
import { MetricTotals } from '../shared/recordingMetrics.js';
import { type HasuraTarget, startHasuraTarget } from './hasuraTarget.js';
import { createLocalAwsClients, type LocalAwsClients } from './localAwsClients.js';
import {
  buildPostAuthentication,
  buildPostConfirmation,
  buildUserLifecycle,
  buildUserSync,
} from './localHandlers.js';
import { LOCAL_SETTINGS } from './localSettings.js';
import { createLocalUserAdmin, type LocalUserAdmin } from './localUserAdmin.js';
import { type MotoServer, startMotoServer } from './motoServer.js';
import { type ProvisionedLifecyclePath, provisionLifecyclePath } from './provisionLifecycle.js';
import { type ProvisionedPipeline, provisionPipeline } from './provisionPipeline.js';
import { ensureUserPool } from './provisionResources.js';
import { type SqsBatchReport, type SqsPoller, startSqsPoller } from './sqsPoller.js';
import { createStackRecorder, type StackRecorder } from './stackRecorder.js';

/** Options of {@link startLocalStack}; `local/start.ts` fills them from the environment. */
export interface LocalStackOptions {
  /**
   * An AWS endpoint that is already running (`AWS_ENDPOINT_URL`: LocalStack, another moto).
   * @default - start moto on a free loopback port
   */
  readonly awsEndpoint?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * An external Hasura (`HASURA_GRAPHQL_ENDPOINT`, the full `/v1/graphql` URL) with the
   * `hasura/` project applied.
   * @default - the embedded Hasura-compatible engine
   */
  readonly hasuraGraphqlUrl?: string;
  /**
   * PostgreSQL for the embedded engine (`DATABASE_URL`).
   * @default - embedded PGlite, in memory
   */
  readonly databaseUrl?: string;
  /**
   * Postgres schema of the users table in the embedded engine.
   * @default 'public'
   */
  readonly databaseSchema?: string;
  /** @default LOCAL_SETTINGS.adminSecret */
  readonly adminSecret?: string;
  /**
   * Visibility timeout of the sync queue (the shared definition says 180 s).
   * @default LOCAL_SETTINGS.visibilityTimeoutSeconds
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * The consumer's event source settings.
   * @default - the shared definition (batch 100, window 1 s, 5 concurrent batches, 30 s timeout)
   */
  readonly consumer?: {
    readonly batchSize?: number;
    readonly maxBatchingWindowMs?: number;
    readonly maxConcurrency?: number;
    readonly timeoutMs?: number;
    readonly waitTimeSeconds?: number;
  };
  /**
   * Run the example second subscriber's consumer (it counts the login events it receives).
   * Off, its queue keeps the events for a test to read.
   * @default true
   */
  readonly exampleSubscriber?: boolean;
  /**
   * The services' own settings (`PUBLISH_BUDGET_MS`, `SYNC_WRITE_MODE`, `HASURA_RETRY_*`, …).
   * `USER_POOL_IDS` here replaces the pools the consumer trusts (see `LocalStack.userPoolIds`).
   * @default {}
   */
  readonly env?: Env;
  /** @default 'WARN' */
  readonly logLevel?: LogLevel;
  /**
   * Also called after every batch of the sync consumer (tests follow single messages with it).
   * @default - nothing
   */
  readonly onSyncBatch?: (report: SqsBatchReport) => void;
  /**
   * Also called after every batch of the user-lifecycle consumer.
   * @default - nothing
   */
  readonly onLifecycleBatch?: (report: SqsBatchReport) => void;
  /**
   * A JSON-lines file the consumers' failure reasons are appended to (by message id), where the
   * console finds why a dead letter failed (`npm start` uses `.local-state/`).
   * @default - reasons are not recorded
   */
  readonly reasonLog?: string;
}

/** A running local stack. */
export interface LocalStack {
  /** The AWS endpoint (moto): give it to SDK clients and the CLI as `AWS_ENDPOINT_URL`. */
  readonly awsEndpoint: string;
  readonly region: string;
  /** Whether this stack started the moto server (and stops it). */
  readonly startedMoto: boolean;
  readonly provisioned: ProvisionedPipeline;
  /**
   * The lifecycle path: the rule on moto's default bus (CloudTrail's events of
   * {@link LocalStack.userPoolId}), the lifecycle queue and its DLQ.
   */
  readonly lifecycle: ProvisionedLifecyclePath;
  /**
   * The Cognito user pool the stack created in moto (`LOCAL_SETTINGS.userPoolName`): run
   * `backfill` or `reconcile` against it.
   */
  readonly userPoolId: string;
  /**
   * The pools whose events the consumer applies (its `USER_POOL_IDS`): the simulated pool
   * (`LOCAL_SETTINGS.simulatedUserPoolId`) and {@link LocalStack.userPoolId}, unless
   * `env.USER_POOL_IDS` is set.
   */
  readonly userPoolIds: readonly string[];
  readonly hasura: HasuraTarget;
  /** SDK clients pointed at the stack. */
  readonly aws: LocalAwsClients;
  /** The REAL post-authentication trigger, publishing to this stack's bus. */
  readonly postAuthentication: PostAuthenticationHandler;
  /**
   * Builds another trigger with some variables overridden (e.g. `EVENT_BUS_NAME` of a missing
   * bus); it counts in the same totals and is closed by `stop()`.
   */
  createPostAuthentication(overrides: Env): PostAuthenticationHandler;
  /** The REAL post-confirmation trigger, publishing to this stack's bus (moto runs none). */
  readonly postConfirmation: PostConfirmationHandler;
  /**
   * Changes users of {@link LocalStack.userPoolId} in moto and plays CloudTrail (and Cognito's
   * post-confirmation trigger) for each change, so the lifecycle path runs as in AWS.
   */
  readonly admin: LocalUserAdmin;
  /** Counters of the whole stack: what the services counted, the pollers, lag, subscriber. */
  readonly recorder: StackRecorder;
  readonly syncPoller: SqsPoller;
  /** Feeds the REAL user-lifecycle consumer from the lifecycle queue. */
  readonly lifecyclePoller: SqsPoller;
  readonly subscriberPoller?: SqsPoller;
  /** Stops the pollers, the engine and moto, and closes the clients. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the whole pipeline locally: moto (unless `awsEndpoint` is given), the Hasura target,
 * the provisioning of bus, archive, queues, rules and subscriber (`provisionPipeline`), the user
 * pool and the lifecycle path (`provisionLifecyclePath`: the default-bus rule, queue and DLQ), the
 * REAL post-authentication and post-confirmation triggers and the user-sync and user-lifecycle
 * consumers built in-process with injected config, the pollers that feed the consumers like
 * Lambda's SQS event source mapping, and the admin helper that plays CloudTrail.
 * Whatever fails on the way, what was started is stopped again before the error propagates.
 *
 * @example
 * const stack = await startLocalStack();
 * await stack.postAuthentication(cognitoEvent);
 * // … the row appears in stack.hasura …
 * await stack.stop();
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Best effort: keep stopping the rest.
      }
    }
  };
  try {
    const region = options.region ?? LOCAL_SETTINGS.region;
    const adminSecret = options.adminSecret ?? LOCAL_SETTINGS.adminSecret;
    // moto and the engine take seconds each to boot: start them side by side.
    const [motoStart, hasuraStart] = await Promise.allSettled([
      options.awsEndpoint === undefined ? startMotoServer() : Promise.resolve(undefined),
      startHasuraTarget({
        adminSecret,
        ...(options.hasuraGraphqlUrl === undefined
          ? {}
          : { external: { graphqlUrl: options.hasuraGraphqlUrl } }),
        ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
        ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
      }),
    ]);
    const moto: MotoServer | undefined =
      motoStart.status === 'fulfilled' ? motoStart.value : undefined;
    if (moto !== undefined) cleanups.push(() => moto.stop());
    if (hasuraStart.status === 'fulfilled') cleanups.push(() => hasuraStart.value.stop());
    if (motoStart.status === 'rejected') throw motoStart.reason;
    if (hasuraStart.status === 'rejected') throw hasuraStart.reason;
    const hasura = hasuraStart.value;

    const awsEndpoint = options.awsEndpoint ?? moto?.endpoint ?? '';
    const aws = createLocalAwsClients(awsEndpoint, region, options.env ?? {});
    cleanups.push(() => aws.destroy());

    const env = options.env ?? {};
    const provisioned = await provisionPipeline(aws, {
      eventSource: env.EVENT_SOURCE ?? pipeline.eventSource,
      visibilityTimeoutSeconds:
        options.visibilityTimeoutSeconds ?? LOCAL_SETTINGS.visibilityTimeoutSeconds,
    });
    const cognito = new CognitoIdentityProviderClient({
      endpoint: awsEndpoint,
      region,
      ...localCredentials(env),
    });
    cleanups.push(() => cognito.destroy());
    const userPoolId = await ensureUserPool(cognito, LOCAL_SETTINGS.userPoolName);
    const lifecycle = await provisionLifecyclePath(aws, [userPoolId], {
      visibilityTimeoutSeconds:
        options.visibilityTimeoutSeconds ?? LOCAL_SETTINGS.visibilityTimeoutSeconds,
    });
    const userPoolIds =
      env.USER_POOL_IDS === undefined
        ? [LOCAL_SETTINGS.simulatedUserPoolId, userPoolId]
        : env.USER_POOL_IDS.split(',')
            .map((id) => id.trim())
            .filter((id) => id !== '');

    const totals = new MetricTotals();
    // post-confirmation counts under the login trigger's metric names: totals of its own.
    const signUpTotals = new MetricTotals();
    const recorder = createStackRecorder(totals, hasura.engine, signUpTotals);
    const context = {
      env,
      logLevel: options.logLevel ?? 'WARN',
      totals,
      recordReason:
        options.reasonLog === undefined ? undefined : fileReasonLog(options.reasonLog).record,
    } as const;
    const triggers: ComposedPostAuthentication[] = [];
    cleanups.push(() => {
      for (const trigger of triggers) trigger.destroy();
    });
    const createPostAuthentication = (overrides: Env): PostAuthenticationHandler => {
      const trigger = buildPostAuthentication(
        context,
        {
          endpoint: awsEndpoint,
          region,
          eventBusName: provisioned.eventBusName,
          syncQueueUrl: provisioned.syncQueue.queueUrl,
        },
        overrides,
      );
      triggers.push(trigger);
      return trigger.handler;
    };
    const postAuthentication = createPostAuthentication({});
    const publishTarget = {
      endpoint: awsEndpoint,
      region,
      eventBusName: provisioned.eventBusName,
      syncQueueUrl: provisioned.syncQueue.queueUrl,
    };
    const postConfirmation = buildPostConfirmation(
      { ...context, totals: signUpTotals },
      publishTarget,
    );
    cleanups.push(() => postConfirmation.destroy());
    const userLifecycle = buildUserLifecycle(context, publishTarget, [userPoolId]);
    cleanups.push(() => userLifecycle.destroy());
    const admin = createLocalUserAdmin({
      cognito,
      eventBridge: aws.eventBridge,
      userPoolId,
      region,
      postConfirmation: postConfirmation.handler,
    });
    const userSync = buildUserSync(context, hasura, userPoolIds).handler;

    const syncPoller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: provisioned.syncQueue.queueUrl,
      queueArn: provisioned.syncQueue.queueArn,
      functionName: 'user-sync',
      handler: userSync,
      ...options.consumer,
      onBatch: (report) => {
        recorder.onSyncBatch(report);
        options.onSyncBatch?.(report);
      },
      onError: recorder.onPollerError,
    });
    cleanups.push(() => syncPoller.stop());

    const lifecyclePoller = startSqsPoller({
      sqs: aws.sqs,
      queueUrl: lifecycle.queueUrl,
      queueArn: lifecycle.queueArn,
      functionName: 'user-lifecycle',
      handler: userLifecycle.handler,
      batchSize: pipeline.lifecycle.function.batchSize,
      maxBatchingWindowMs: pipeline.lifecycle.function.maxBatchingWindowSeconds * 1000,
      timeoutMs: pipeline.lifecycle.function.timeoutSeconds * 1000,
      maxConcurrency: 1,
      ...(options.onLifecycleBatch === undefined ? {} : { onBatch: options.onLifecycleBatch }),
      onError: recorder.onPollerError,
    });
    cleanups.push(() => lifecyclePoller.stop());

    let subscriberPoller: SqsPoller | undefined;
    if (options.exampleSubscriber ?? true) {
      subscriberPoller = startSqsPoller({
        sqs: aws.sqs,
        queueUrl: provisioned.subscriber.queueUrl,
        queueArn: provisioned.subscriber.queueArn,
        functionName: 'login-audit',
        handler: recorder.subscriberHandler,
        maxConcurrency: 1,
        batchSize: 10,
        maxBatchingWindowMs: 0,
        onError: recorder.onPollerError,
      });
      cleanups.push(() => subscriberPoller?.stop());
    }

    return {
      awsEndpoint,
      region,
      startedMoto: moto !== undefined,
      provisioned,
      lifecycle,
      userPoolId,
      userPoolIds,
      hasura,
      aws,
      postAuthentication,
      createPostAuthentication,
      postConfirmation: postConfirmation.handler,
      admin,
      recorder,
      syncPoller,
      lifecyclePoller,
      ...(subscriberPoller === undefined ? {} : { subscriberPoller }),
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
};
