import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Env } from '../../shared/env.js';
import { createAdminSecretProvider } from '../../shared/hasuraClient/adminSecretProvider.js';
import {
  createHasuraClient,
  type HasuraClient,
} from '../../shared/hasuraClient/createHasuraClient.js';
import type { HasuraTransport } from '../../shared/hasuraClient/httpTransport.js';
import { serviceObservability } from '../../shared/observability.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { loadUserSyncConfig, type UserSyncConfig } from './config.js';
import { createUserSyncHandler, type UserSyncHandler } from './createUserSyncHandler.js';
import type { Clock } from './retryTransient.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const USER_SYNC_SERVICE = 'user-sync';

/**
 * Options of {@link composeUserSync}: the environment, and what a caller outside Lambda (the
 * local stack, tests, benchmarks) puts in place of the defaults.
 */
export interface UserSyncComposeOptions {
  /** The variables read by `loadUserSyncConfig` (`process.env` in Lambda). */
  readonly env: Env;
  /**
   * The Secrets Manager client that reads `HASURA_ADMIN_SECRET_ARN`; unused with
   * `HASURA_ADMIN_SECRET` or `hasura`.
   * @default - `createAdminSecretProvider`'s: 2 attempts, 2 s connection and 3 s request timeouts
   */
  readonly secretsManager?: SecretsManagerClient;
  /**
   * How the Hasura client's requests travel; ignored when `hasura` is given.
   * @default - `createHasuraClient`'s node:http(s) transport with keep-alive
   */
  readonly transport?: HasuraTransport;
  /**
   * The Hasura client itself (a test double).
   * @default - `createHasuraClient` for the configured endpoint, admin secret and timeout
   */
  readonly hasura?: HasuraClient;
  /** @default createLogger('user-sync') */
  readonly logger?: ServiceLogger;
  /** @default createMetrics('user-sync') */
  readonly metrics?: ServiceMetrics;
  /**
   * Time, sleep and jitter source.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The consumer {@link composeUserSync} built, and what it was built from. */
export interface ComposedUserSync {
  readonly handler: UserSyncHandler;
  readonly config: UserSyncConfig;
  readonly hasura: HasuraClient;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
}

/**
 * The composition root of the user-sync consumer, and the only place it is wired:
 * configuration from `env` (a missing or invalid variable throws, naming it), the admin secret
 * (the value, or Secrets Manager), the Hasura client, logger and metrics, then the core handler.
 * The Lambda module calls it once at cold start; the local stack, tests and benchmarks call it
 * with their endpoint, secret, transport, clock or observability.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const { handler } = composeUserSync({ env: process.env });
 * const { batchItemFailures } = await handler(sqsEvent, context);
 */
export const composeUserSync = (options: UserSyncComposeOptions): ComposedUserSync => {
  const config = loadUserSyncConfig(options.env);
  const hasura =
    options.hasura ??
    createHasuraClient({
      endpoint: config.hasuraEndpoint,
      adminSecret: createAdminSecretProvider(config.adminSecret, options.secretsManager),
      timeoutMs: config.requestTimeoutMs,
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
  const { logger, metrics } = serviceObservability(USER_SYNC_SERVICE, options);
  const handler = createUserSyncHandler({
    config,
    hasura,
    logger,
    metrics,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return { handler, config, hasura, logger, metrics };
};
