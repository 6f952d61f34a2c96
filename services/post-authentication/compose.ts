import type { Env } from '../../shared/env.js';
import { serviceObservability } from '../../shared/observability.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { loadPostAuthenticationConfig, type PostAuthenticationConfig } from './config.js';
import {
  createPublishClients,
  type PublishClients,
  type PublishClientsOptions,
} from './createPublishClients.js';
import {
  createPostAuthenticationHandler,
  type PostAuthenticationHandler,
} from './postAuthentication.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const POST_AUTHENTICATION_SERVICE = 'post-authentication';

/**
 * Options of {@link composePostAuthentication}: the environment, and what a caller outside
 * Lambda (the local stack, `simulate`, tests, benchmarks) puts in place of the defaults.
 */
export interface PostAuthenticationComposeOptions {
  /** The variables read by `loadPostAuthenticationConfig` (`process.env` in Lambda). */
  readonly env: Env;
  /**
   * Where the clients send their requests; ignored when `clients` is given.
   * @default - the SDK's own configuration: `AWS_ENDPOINT_URL`, or AWS
   */
  readonly endpoint?: PublishClientsOptions['endpoint'];
  /**
   * Static credentials of the clients (moto accepts any); ignored when `clients` is given.
   * @default - the SDK's default credential chain
   */
  readonly credentials?: PublishClientsOptions['credentials'];
  /**
   * The EventBridge and SQS clients; the caller owns them (`destroy()` leaves them open).
   * @default - `createPublishClients` with the configured region and budget
   */
  readonly clients?: PublishClients;
  /** @default createLogger('post-authentication') */
  readonly logger?: ServiceLogger;
  /** @default createMetrics('post-authentication') */
  readonly metrics?: ServiceMetrics;
  /**
   * The clock, epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The trigger {@link composePostAuthentication} built, and what it was built from. */
export interface ComposedPostAuthentication {
  readonly handler: PostAuthenticationHandler;
  readonly config: PostAuthenticationConfig;
  readonly clients: PublishClients;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
  /** Closes the clients this function created (not those passed in `clients`). */
  destroy(): void;
}

/**
 * The composition root of the post-authentication trigger, and the only place it is wired:
 * configuration from `env` (a missing or invalid variable throws, naming it), the publish
 * clients with timeouts from the budget, logger and metrics, then the core handler. The Lambda
 * module calls it once at cold start; the local stack, `simulate`, tests and benchmarks call it
 * with their endpoints, credentials or observability.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const trigger = composePostAuthentication({ env: process.env });
 * await trigger.handler(cognitoEvent, context);
 */
export const composePostAuthentication = (
  options: PostAuthenticationComposeOptions,
): ComposedPostAuthentication => {
  const config = loadPostAuthenticationConfig(options.env);
  const clients =
    options.clients ??
    createPublishClients({
      region: config.region,
      budgetMs: config.budgetMs,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  const { logger, metrics } = serviceObservability(POST_AUTHENTICATION_SERVICE, options);
  const handler = createPostAuthenticationHandler({
    config,
    clients,
    logger,
    metrics,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const owned = options.clients === undefined;
  return {
    handler,
    config,
    clients,
    logger,
    metrics,
    destroy() {
      if (!owned) return;
      clients.eventBridge.destroy();
      clients.sqs.destroy();
    },
  };
};
