import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { loadPostAuthenticationConfig } from '../services/post-authentication/config.js';
import { createPublishClients } from '../services/post-authentication/createPublishClients.js';
import {
  createPostAuthenticationHandler,
  type PostAuthenticationHandler,
} from '../services/post-authentication/postAuthentication.js';
import { loadUserSyncConfig } from '../services/user-sync/config.js';
import {
  createUserSyncHandler,
  type UserSyncHandler,
} from '../services/user-sync/createUserSyncHandler.js';
import type { Env } from '../shared/env.js';
import { createAdminSecretProvider } from '../shared/hasura/adminSecretProvider.js';
import { createHasuraClient } from '../shared/hasura/createHasuraClient.js';
import { pipeline } from '../shared/pipeline.js';
import { localCredentials } from './localAwsClients.js';
import type { MetricTotals } from './recordingMetrics.js';
import { RecordingMetrics } from './recordingMetrics.js';

/** What both in-process services share. */
export interface LocalHandlerContext {
  /**
   * The services' own settings (`PUBLISH_BUDGET_MS`, `PUBLISHED_ATTRIBUTES`, `SYNC_WRITE_MODE`,
   * `HASURA_RETRY_*`, …), read by the same loaders as in Lambda. The endpoints, names and the
   * admin secret are always the local stack's.
   */
  readonly env: Env;
  /** Level of the services' Powertools loggers. */
  readonly logLevel: LogLevel;
  /** Where the services' metrics are summed. */
  readonly totals: MetricTotals;
}

const logger = (serviceName: string, logLevel: LogLevel): Logger =>
  new Logger({ serviceName, logLevel, persistentKeys: { product: 'cognito-hasura-sync' } });

const metrics = (serviceName: string, totals: MetricTotals): RecordingMetrics =>
  new RecordingMetrics({ serviceName, namespace: pipeline.metricsNamespace, totals });

/** A post-authentication trigger built in-process, and its clients to close. */
export interface LocalPostAuthentication {
  readonly handler: PostAuthenticationHandler;
  /** Closes the trigger's SDK clients. */
  destroy(): void;
}

/**
 * Builds the REAL post-authentication trigger (`createPostAuthenticationHandler`) with its
 * configuration loaded from `context.env` plus the local endpoints, exactly as `handler.ts`
 * does at cold start in Lambda.
 *
 * @param target - the AWS endpoint, region, bus and sync queue to publish to.
 * @param overrides - variables that win over everything (tests: `EVENT_BUS_NAME` of a missing bus).
 * @default overrides - {}
 */
export const buildPostAuthentication = (
  context: LocalHandlerContext,
  target: { endpoint: string; region: string; eventBusName: string; syncQueueUrl: string },
  overrides: Env = {},
): LocalPostAuthentication => {
  const config = loadPostAuthenticationConfig({
    ...context.env,
    EVENT_BUS_NAME: target.eventBusName,
    SYNC_QUEUE_URL: target.syncQueueUrl,
    AWS_REGION: target.region,
    ...overrides,
  });
  // Like the trigger's own clients, but pointed at this stack's endpoint: several stacks can
  // live in one process.
  const clients = createPublishClients({
    endpoint: target.endpoint,
    region: target.region,
    budgetMs: config.budgetMs,
    ...localCredentials(context.env),
  });
  const handler = createPostAuthenticationHandler({
    config,
    clients,
    logger: logger('post-authentication', context.logLevel),
    metrics: metrics('post-authentication', context.totals),
  });
  return {
    handler,
    destroy() {
      clients.eventBridge.destroy();
      clients.sqs.destroy();
    },
  };
};

/**
 * Builds the REAL user-sync consumer (`createUserSyncHandler`) against a Hasura GraphQL URL, with
 * its configuration loaded from `context.env` plus the endpoint and admin secret, as `handler.ts`
 * does at cold start in Lambda.
 *
 * @param hasura - the `/v1/graphql` URL and the admin secret.
 * @param userPoolIds - the pools whose events the consumer applies (`USER_POOL_IDS`), unless
 *   `context.env` sets `USER_POOL_IDS` itself.
 */
export const buildUserSync = (
  context: LocalHandlerContext,
  hasura: { graphqlUrl: string; adminSecret: string },
  userPoolIds: readonly string[],
): UserSyncHandler => {
  const config = loadUserSyncConfig({
    ...context.env,
    USER_POOL_IDS: context.env.USER_POOL_IDS ?? userPoolIds.join(','),
    HASURA_GRAPHQL_ENDPOINT: hasura.graphqlUrl,
    HASURA_ADMIN_SECRET: hasura.adminSecret,
    // The secret is given directly; an ARN in the environment would take precedence.
    HASURA_ADMIN_SECRET_ARN: undefined,
  });
  return createUserSyncHandler({
    config,
    hasura: createHasuraClient({
      endpoint: config.hasuraEndpoint,
      adminSecret: createAdminSecretProvider(config.adminSecret),
      timeoutMs: config.requestTimeoutMs,
    }),
    logger: logger('user-sync', context.logLevel),
    metrics: metrics('user-sync', context.totals),
  });
};
