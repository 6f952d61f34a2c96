import {
  type Env,
  integer,
  maybeString,
  optionalString,
  requireString,
  stringMap,
} from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import type { AdminSecretSource } from '../../shared/hasura/adminSecretProvider.js';
import { RedactedSecret } from '../../shared/hasura/RedactedSecret.js';
import { DEFAULT_COLUMN_MAP, EVENT_FIELDS, REQUIRED_EVENT_FIELDS } from './columnMap.js';

/**
 * How the consumer keeps "newest wins":
 * - `guard`: one multi-row `insert_<table>` with `on_conflict`; the `users_newest_wins`
 *   trigger of the `hasura/` migration skips older events (fastest, needs the trigger);
 * - `where`: one request of aliased `insert_<table>_one`, each with an `on_conflict.where`
 *   comparing the stored (last_seen_at, last_event_id) with the event (no trigger needed).
 */
export type SyncWriteMode = 'guard' | 'where';

/** Retry of transient Hasura failures: exponential backoff with full jitter. */
export interface RetrySettings {
  /** First backoff ceiling, ms (`HASURA_RETRY_BASE_DELAY_MS`). */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, ms (`HASURA_RETRY_MAX_DELAY_MS`). */
  readonly maxDelayMs: number;
  /** Attempts per request, the first included (`HASURA_RETRY_MAX_ATTEMPTS`). */
  readonly maxAttempts: number;
  /** Time kept free before the Lambda timeout to answer SQS, ms (`SYNC_TIME_SAFETY_MARGIN_MS`). */
  readonly safetyMarginMs: number;
}

/** The consumer's configuration, read once at cold start. */
export interface UserSyncConfig {
  /** `HASURA_GRAPHQL_ENDPOINT`: the full `/v1/graphql` URL. */
  readonly hasuraEndpoint: string;
  /** `HASURA_ADMIN_SECRET` (local) or `HASURA_ADMIN_SECRET_ARN` (Secrets Manager). */
  readonly adminSecret: AdminSecretSource;
  /** `USERS_TABLE`: the tracked table's GraphQL name (`insert_<table>`). */
  readonly table: string;
  /** `USERS_CONSTRAINT`: the primary-key constraint for `on_conflict`. */
  readonly constraint: string;
  /** `USERS_COLUMN_MAP`: event field (`sub`, `attributes.email`, …) → column. */
  readonly columnMap: Readonly<Record<string, string>>;
  /** `SYNC_WRITE_MODE`. */
  readonly writeMode: SyncWriteMode;
  /** `HASURA_REQUEST_TIMEOUT_MS`: longest wait for one Hasura answer. */
  readonly requestTimeoutMs: number;
  /** Retry settings. */
  readonly retry: RetrySettings;
}

/** Default `SYNC_TIME_SAFETY_MARGIN_MS`: time kept free before the Lambda timeout, ms. */
export const DEFAULT_SAFETY_MARGIN_MS = 3000;

const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const graphqlName = (env: Env, name: string, fallback: string): string => {
  const value = optionalString(env, name, fallback);
  if (!GRAPHQL_NAME.test(value)) {
    throw new ConfigurationError(
      name,
      `${name} must be a GraphQL name ([A-Za-z_][A-Za-z0-9_]*), got "${value}"`,
    );
  }
  return value;
};

const endpoint = (env: Env): string => {
  const name = 'HASURA_GRAPHQL_ENDPOINT';
  const value = requireString(
    env,
    name,
    'give the full GraphQL URL, e.g. https://hasura.example.com/v1/graphql',
  );
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConfigurationError(name, `${name} is not a URL: "${value}"`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(name, `${name} must be an http(s) URL, got "${url.protocol}"`);
  }
  if (url.pathname === '/' || url.pathname === '') {
    throw new ConfigurationError(
      name,
      `${name} must be the full GraphQL URL ending in /v1/graphql, not the server root`,
    );
  }
  return value;
};

const adminSecret = (env: Env): AdminSecretSource => {
  const secretArn = maybeString(env, 'HASURA_ADMIN_SECRET_ARN');
  if (secretArn !== undefined) {
    if (!secretArn.startsWith('arn:')) {
      throw new ConfigurationError(
        'HASURA_ADMIN_SECRET_ARN',
        'HASURA_ADMIN_SECRET_ARN must be a Secrets Manager secret ARN (arn:…)',
      );
    }
    return { kind: 'secretsManager', secretArn };
  }
  const value = maybeString(env, 'HASURA_ADMIN_SECRET');
  if (value === undefined) {
    throw new ConfigurationError(
      'HASURA_ADMIN_SECRET',
      'HASURA_ADMIN_SECRET is not set (nor HASURA_ADMIN_SECRET_ARN): set the ARN of the Secrets Manager secret in AWS, or the admin secret itself locally',
    );
  }
  return { kind: 'value', secret: new RedactedSecret(value) };
};

const columnMap = (env: Env): Record<string, string> => {
  const name = 'USERS_COLUMN_MAP';
  const map = stringMap(env, name, DEFAULT_COLUMN_MAP);
  const known = new Set<string>(EVENT_FIELDS);
  for (const [field, column] of Object.entries(map)) {
    if (!known.has(field) && !/^attributes\.[\w:.-]+$/.test(field)) {
      throw new ConfigurationError(
        name,
        `${name} maps unknown event field "${field}": use one of ${EVENT_FIELDS.join(', ')} or attributes.<name>`,
      );
    }
    if (!GRAPHQL_NAME.test(column)) {
      throw new ConfigurationError(
        name,
        `${name} maps "${field}" to "${column}", which is not a column name`,
      );
    }
  }
  for (const field of REQUIRED_EVENT_FIELDS) {
    if (map[field] === undefined) {
      throw new ConfigurationError(
        name,
        `${name} must map "${field}" (needed for the key and newest-wins ordering)`,
      );
    }
  }
  const columns = Object.values(map);
  if (new Set(columns).size !== columns.length) {
    throw new ConfigurationError(name, `${name} maps two event fields to the same column`);
  }
  return map;
};

const writeMode = (env: Env): SyncWriteMode => {
  const value = optionalString(env, 'SYNC_WRITE_MODE', 'guard');
  if (value !== 'guard' && value !== 'where') {
    throw new ConfigurationError(
      'SYNC_WRITE_MODE',
      `SYNC_WRITE_MODE must be "guard" or "where", got "${value}"`,
    );
  }
  return value;
};

/**
 * Reads the user-sync consumer's configuration; call once at cold start.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 * @example
 * const config = loadUserSyncConfig(process.env);
 */
export const loadUserSyncConfig = (env: Env): UserSyncConfig => {
  const retry: RetrySettings = {
    baseDelayMs: integer(env, 'HASURA_RETRY_BASE_DELAY_MS', 100, { min: 1, max: 60_000 }),
    maxDelayMs: integer(env, 'HASURA_RETRY_MAX_DELAY_MS', 5000, { min: 1, max: 300_000 }),
    maxAttempts: integer(env, 'HASURA_RETRY_MAX_ATTEMPTS', 8, { min: 1, max: 100 }),
    safetyMarginMs: integer(env, 'SYNC_TIME_SAFETY_MARGIN_MS', DEFAULT_SAFETY_MARGIN_MS, {
      min: 0,
      max: 600_000,
    }),
  };
  return {
    hasuraEndpoint: endpoint(env),
    adminSecret: adminSecret(env),
    table: graphqlName(env, 'USERS_TABLE', 'users'),
    constraint: graphqlName(env, 'USERS_CONSTRAINT', 'users_pkey'),
    columnMap: columnMap(env),
    writeMode: writeMode(env),
    requestTimeoutMs: integer(env, 'HASURA_REQUEST_TIMEOUT_MS', 5000, { min: 1, max: 600_000 }),
    retry,
  };
};
