import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { recordingReasons } from '../cli/console/deadLetterReasons.js';
import { localCredentials } from '../cli/localCredentials.js';
import {
  type ComposedPostAuthentication,
  composePostAuthentication,
  POST_AUTHENTICATION_SERVICE,
} from '../services/post-authentication/compose.js';
import {
  type ComposedPostConfirmation,
  composePostConfirmation,
  POST_CONFIRMATION_SERVICE,
} from '../services/post-confirmation/compose.js';
import {
  type ComposedUserLifecycle,
  composeUserLifecycle,
  USER_LIFECYCLE_SERVICE,
} from '../services/user-lifecycle/compose.js';
import {
  type ComposedUserSync,
  composeUserSync,
  USER_SYNC_SERVICE,
} from '../services/user-sync/compose.js';
import type { Env } from '../shared/env.js';
import { createLogger } from '../shared/observability.js';
import { type MetricTotals, RecordingMetrics } from '../shared/recordingMetrics.js';

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
  /**
   * Records why a message failed (the consumers' warnings and errors that name message ids), for
   * the console's dead-letter browser.
   * @default - not recorded
   */
  readonly recordReason?: ((messageId: string, reason: string) => void) | undefined;
}

/** Logger and recording metrics of one in-process service. */
const observability = (serviceName: string, context: LocalHandlerContext) => ({
  logger:
    context.recordReason === undefined
      ? createLogger(serviceName, { logLevel: context.logLevel })
      : recordingReasons(
          createLogger(serviceName, { logLevel: context.logLevel }),
          context.recordReason,
        ),
  metrics: new RecordingMetrics({ serviceName, totals: context.totals }),
});

/**
 * Builds the REAL post-authentication trigger with `composePostAuthentication`, the function
 * `handler.ts` calls at cold start in Lambda: configuration from `context.env` plus the local
 * endpoint, bus and queue; `destroy()` closes its clients.
 *
 * @param target - the AWS endpoint, region, bus and sync queue to publish to.
 * @param overrides - variables that win over everything (tests: `EVENT_BUS_NAME` of a missing bus).
 * @default overrides - {}
 */
export const buildPostAuthentication = (
  context: LocalHandlerContext,
  target: { endpoint: string; region: string; eventBusName: string; syncQueueUrl: string },
  overrides: Env = {},
): ComposedPostAuthentication =>
  composePostAuthentication({
    env: {
      ...context.env,
      EVENT_BUS_NAME: target.eventBusName,
      SYNC_QUEUE_URL: target.syncQueueUrl,
      AWS_REGION: target.region,
      ...overrides,
    },
    // This stack's endpoint rather than AWS_ENDPOINT_URL: several stacks can live in one process.
    endpoint: target.endpoint,
    ...localCredentials(context.env),
    ...observability(POST_AUTHENTICATION_SERVICE, context),
  });

/**
 * Builds the REAL post-confirmation trigger with `composePostConfirmation`, the function
 * `handler.ts` calls at cold start in Lambda: configuration from `context.env` plus the local
 * endpoint, bus and queue; `destroy()` closes its clients. moto runs no trigger: the local admin
 * helper invokes it after a confirmed sign-up.
 *
 * @param target - the AWS endpoint, region, bus and sync queue to publish to.
 */
export const buildPostConfirmation = (
  context: LocalHandlerContext,
  target: { endpoint: string; region: string; eventBusName: string; syncQueueUrl: string },
): ComposedPostConfirmation =>
  composePostConfirmation({
    env: {
      ...context.env,
      EVENT_BUS_NAME: target.eventBusName,
      SYNC_QUEUE_URL: target.syncQueueUrl,
      AWS_REGION: target.region,
    },
    endpoint: target.endpoint,
    ...localCredentials(context.env),
    ...observability(POST_CONFIRMATION_SERVICE, context),
  });

/**
 * Builds the REAL user-lifecycle consumer with `composeUserLifecycle`, the function `handler.ts`
 * calls at cold start in Lambda: configuration from `context.env` plus the local endpoint, bus
 * and the pools it acts on; `destroy()` closes its clients.
 *
 * @param target - the AWS endpoint (moto's Cognito and EventBridge), region and product bus.
 * @param userPoolIds - the pools it acts on (`USER_POOL_IDS`): the pools of moto.
 */
export const buildUserLifecycle = (
  context: LocalHandlerContext,
  target: { endpoint: string; region: string; eventBusName: string },
  userPoolIds: readonly string[],
): ComposedUserLifecycle =>
  composeUserLifecycle({
    env: {
      ...context.env,
      EVENT_BUS_NAME: target.eventBusName,
      USER_POOL_IDS: userPoolIds.join(','),
      AWS_REGION: target.region,
    },
    endpoint: target.endpoint,
    ...localCredentials(context.env),
    ...observability(USER_LIFECYCLE_SERVICE, context),
  });

/**
 * Builds the REAL user-sync consumer with `composeUserSync`, the function `handler.ts` calls at
 * cold start in Lambda: configuration from `context.env` plus the Hasura endpoint and admin
 * secret.
 *
 * @param hasura - the `/v1/graphql` URL and the admin secret.
 * @param userPoolIds - the pools whose events the consumer applies (`USER_POOL_IDS`), unless
 *   `context.env` sets `USER_POOL_IDS` itself.
 */
export const buildUserSync = (
  context: LocalHandlerContext,
  hasura: { graphqlUrl: string; adminSecret: string },
  userPoolIds: readonly string[],
): ComposedUserSync =>
  composeUserSync({
    env: {
      ...context.env,
      USER_POOL_IDS: context.env.USER_POOL_IDS ?? userPoolIds.join(','),
      HASURA_GRAPHQL_ENDPOINT: hasura.graphqlUrl,
      HASURA_ADMIN_SECRET: hasura.adminSecret,
      // The secret is given directly; an ARN in the environment would take precedence.
      HASURA_ADMIN_SECRET_ARN: undefined,
    },
    ...observability(USER_SYNC_SERVICE, context),
  });
