import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Env } from '../../shared/env.js';
import { serviceObservability } from '../../shared/observability.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { loadUserLifecycleConfig, type UserLifecycleConfig } from './config.js';
import {
  createUserLifecycleHandler,
  type UserLifecycleHandler,
} from './createUserLifecycleHandler.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const USER_LIFECYCLE_SERVICE = 'user-lifecycle';

/**
 * SDK attempts per call (the standard retry mode's default): throttling of ListUsers is the
 * likeliest failure, and a record that still fails is retried by SQS.
 */
export const LIFECYCLE_MAX_ATTEMPTS = 3;

/** HTTP timeouts of the consumer's clients: well inside the function's 30 s. */
export const LIFECYCLE_HTTP_TIMEOUTS = { connectionTimeoutMs: 2000, requestTimeoutMs: 5000 };

/** The Cognito and EventBridge clients of the consumer. Create them once per container. */
export interface UserLifecycleClients {
  /** Reads users (ListUsers, AdminGetUser). */
  readonly cognito: CognitoIdentityProviderClient;
  /** Publishes the lifecycle events (PutEvents). */
  readonly eventBridge: EventBridgeClient;
}

/**
 * Options of {@link composeUserLifecycle}: the environment, and what a caller outside Lambda (the
 * local stack, tests) puts in place of the defaults.
 */
export interface UserLifecycleComposeOptions {
  /** The variables read by `loadUserLifecycleConfig` (`process.env` in Lambda). */
  readonly env: Env;
  /**
   * Where the clients send their requests; ignored when `clients` is given.
   * @default - the SDK's own configuration: `AWS_ENDPOINT_URL`, or AWS
   */
  readonly endpoint?: string;
  /**
   * Static credentials of the clients (moto accepts any); ignored when `clients` is given.
   * @default - the SDK's default credential chain
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * The clients; the caller owns them (`destroy()` leaves them open).
   * @default - clients with {@link LIFECYCLE_HTTP_TIMEOUTS} and {@link LIFECYCLE_MAX_ATTEMPTS}
   */
  readonly clients?: UserLifecycleClients;
  /** @default createLogger('user-lifecycle') */
  readonly logger?: ServiceLogger;
  /** @default createMetrics('user-lifecycle') */
  readonly metrics?: ServiceMetrics;
  /**
   * The clock, epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The consumer {@link composeUserLifecycle} built, and what it was built from. */
export interface ComposedUserLifecycle {
  readonly handler: UserLifecycleHandler;
  readonly config: UserLifecycleConfig;
  readonly clients: UserLifecycleClients;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
  /** Closes the clients this function created (not those passed in `clients`). */
  destroy(): void;
}

/**
 * The composition root of the user-lifecycle consumer, and the only place it is wired:
 * configuration from `env` (a missing or invalid variable throws, naming it), the Cognito and
 * EventBridge clients with bounded timeouts, logger and metrics, then the core handler. The
 * Lambda module calls it once at cold start; the local stack and tests call it with their
 * endpoint, credentials or observability.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const { handler } = composeUserLifecycle({ env: process.env });
 * const { batchItemFailures } = await handler(sqsEvent);
 */
export const composeUserLifecycle = (
  options: UserLifecycleComposeOptions,
): ComposedUserLifecycle => {
  const config = loadUserLifecycleConfig(options.env);
  const clientConfig = () => ({
    region: config.region,
    maxAttempts: LIFECYCLE_MAX_ATTEMPTS,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    requestHandler: {
      connectionTimeout: LIFECYCLE_HTTP_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: LIFECYCLE_HTTP_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const clients = options.clients ?? {
    cognito: new CognitoIdentityProviderClient(clientConfig()),
    eventBridge: new EventBridgeClient(clientConfig()),
  };
  const { logger, metrics } = serviceObservability(USER_LIFECYCLE_SERVICE, options);
  const handler = createUserLifecycleHandler({
    config,
    cognito: clients.cognito,
    eventBridge: clients.eventBridge,
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
      clients.cognito.destroy();
      clients.eventBridge.destroy();
    },
  };
};
