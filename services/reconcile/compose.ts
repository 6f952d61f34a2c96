import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RateLimiter } from '../../cli/rateLimiter.js';
import type { Env } from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import { createAdminSecretProvider } from '../../shared/hasuraClient/adminSecretProvider.js';
import {
  createHasuraClient,
  type HasuraClient,
} from '../../shared/hasuraClient/createHasuraClient.js';
import type { HasuraTransport } from '../../shared/hasuraClient/httpTransport.js';
import { loadReconcileConfig, type ReconcileConfig } from './config.js';
import type { ReconcileDependencies, ReconcileSettings } from './reconcilePartition.js';
import { createUsersTableReader } from './usersTable.js';

/** Options of {@link composeReconcile}. */
export interface ReconcileComposeOptions {
  /** The variables `loadReconcileConfig` reads. */
  readonly env: Env;
  readonly cognito: CognitoIdentityProviderClient;
  readonly eventBridge: EventBridgeClient;
  /**
   * Reads `HASURA_ADMIN_SECRET_ARN`.
   * @default - `createAdminSecretProvider`'s client
   */
  readonly secretsManager?: SecretsManagerClient;
  /**
   * How Hasura requests travel; ignored when `hasura` is given.
   * @default - node:http(s) with keep-alive
   */
  readonly transport?: HasuraTransport;
  /**
   * The Hasura client (a test double).
   * @default - `createHasuraClient` for the configured endpoint and secret
   */
  readonly hasura?: HasuraClient;
  /**
   * What the caller sets over the environment (the CLI's flags).
   * @default - the environment's values
   */
  readonly overrides?: Partial<
    Pick<ReconcileSettings, 'userPoolId' | 'dryRun' | 'maxDeletes' | 'attributes' | 'target'>
  > & { readonly rate?: number };
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What {@link composeReconcile} built. */
export interface ComposedReconcile {
  readonly config: ReconcileConfig;
  readonly dependencies: ReconcileDependencies;
  readonly settings: ReconcileSettings;
}

/**
 * The composition root of reconcile, called by the CLI, the scheduled job's Lambda, tests and
 * the benchmark: configuration from `env` and the caller's overrides, the Hasura client and the
 * users-table reader, one rate limiter for every Cognito call.
 *
 * @throws {@link ConfigurationError} naming a missing or invalid variable.
 * @throws {@link ConfigurationError} (`USER_POOL_ID`) when no pool is given either way.
 *
 * @example
 * const { dependencies, settings } = composeReconcile({ env: process.env, cognito, eventBridge });
 * const report = await reconcilePool(dependencies, settings, { prefixLength: 0 });
 */
export const composeReconcile = (options: ReconcileComposeOptions): ComposedReconcile => {
  const config = loadReconcileConfig(options.env);
  const hasura =
    options.hasura ??
    createHasuraClient({
      endpoint: config.hasuraEndpoint,
      adminSecret: createAdminSecretProvider(config.adminSecret, options.secretsManager),
      timeoutMs: 30_000,
      ...(options.transport ? { transport: options.transport } : {}),
    });
  const overrides = options.overrides ?? {};
  const userPoolId = overrides.userPoolId ?? config.userPoolId;
  if (userPoolId === undefined) {
    throw new ConfigurationError('USER_POOL_ID', 'USER_POOL_ID is not set: the pool to reconcile');
  }
  const rate = overrides.rate ?? config.rate;
  return {
    config,
    dependencies: {
      cognito: options.cognito,
      eventBridge: options.eventBridge,
      table: createUsersTableReader(hasura, { table: config.table, columns: config.columns }),
      limiter: new RateLimiter({ perSecond: rate, burst: 1 }),
      ...(options.now ? { now: options.now } : {}),
    },
    settings: {
      userPoolId,
      attributes: overrides.attributes ?? config.attributes,
      columns: config.columns,
      target: overrides.target ?? { eventBusName: config.eventBusName, source: config.source },
      dryRun: overrides.dryRun ?? false,
      maxDeletes: overrides.maxDeletes ?? config.maxDeletes,
    },
  };
};
