import {
  type Env,
  integer,
  maybeString,
  optionalString,
  requireString,
  stringList,
  stringMap,
} from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import {
  COGNITO_ATTRIBUTE_NAME,
  DEFAULT_PUBLISHED_ATTRIBUTES,
  USER_POOL_ID_PATTERN,
} from '../../shared/events/userAuthenticated.js';
import type { AdminSecretSource } from '../../shared/hasuraClient/adminSecretProvider.js';
import { RedactedSecret } from '../../shared/hasuraClient/RedactedSecret.js';
import { pipeline } from '../../shared/pipeline.js';
import { DEFAULT_COLUMN_MAP, EVENT_FIELDS, REQUIRED_EVENT_FIELDS } from './columnMap.js';

/**
 * How the consumer keeps "newest wins":
 * - `guard`: one multi-row `insert_<table>` with `on_conflict`; the `users_newest_wins`
 *   trigger of the `hasura/` migration skips older events (fastest, needs the trigger);
 * - `where`: one request of aliased `insert_<table>_one`, each with an `on_conflict.where`
 *   comparing the stored (last_event_at, last_event_id) with the event, plus an update raising
 *   last_seen_at (no trigger needed; soft deletion only).
 */
export type SyncWriteMode = 'guard' | 'where';

/**
 * What a `UserDeleted` does to the user's row (docs/lifecycle.md):
 * - `soft`: the row stays as a tombstone (`deleted_at` set, every other mapped column NULL);
 * - `hard`: the row is deleted and a `user_tombstones` row remembers the sub (needs the
 *   migration's triggers, hence `SYNC_WRITE_MODE=guard`).
 */
export type SyncDeleteMode = 'soft' | 'hard';

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
  /**
   * `USERS_COLUMN_MAP`: event field (`sub`, `attributes.email`, …) → column. Every attribute it
   * reads is one of {@link UserSyncConfig.publishedAttributes}.
   */
  readonly columnMap: Readonly<Record<string, string>>;
  /**
   * `PUBLISHED_ATTRIBUTES`: the attributes the trigger publishes (the same variable, set by the
   * same owner). A mapped attribute outside it would be written as NULL on every login.
   *
   * @default ['email'] (DEFAULT_PUBLISHED_ATTRIBUTES)
   */
  readonly publishedAttributes: readonly string[];
  /**
   * `EVENT_SOURCE`: the only `source` whose events are applied; others fail to the DLQ.
   *
   * @default pipeline.eventSource
   */
  readonly eventSource: string;
  /**
   * `USER_POOL_IDS` (comma-separated, required): the only user pools whose events are applied;
   * events of any other pool fail to the DLQ.
   */
  readonly userPoolIds: readonly string[];
  /**
   * `SYNC_MAX_CLOCK_SKEW_MS`: how far `authenticatedAt` may lie ahead of the consumer's clock;
   * a later event is refused (it would win newest-wins against every real login until then).
   *
   * @default DEFAULT_MAX_CLOCK_SKEW_MS (5000)
   */
  readonly maxClockSkewMs: number;
  /** `SYNC_WRITE_MODE`. @default 'guard' */
  readonly writeMode: SyncWriteMode;
  /** `SYNC_DELETE_MODE`. @default 'soft' */
  readonly deleteMode: SyncDeleteMode;
  /** `HASURA_REQUEST_TIMEOUT_MS`: longest wait for one Hasura answer. */
  readonly requestTimeoutMs: number;
  /** Retry settings. */
  readonly retry: RetrySettings;
}

/** Default `SYNC_TIME_SAFETY_MARGIN_MS`: time kept free before the Lambda timeout, ms. */
export const DEFAULT_SAFETY_MARGIN_MS = 3000;

/**
 * Default `SYNC_MAX_CLOCK_SKEW_MS`: how far in the future an event may be dated, ms. Lambda clocks
 * are NTP-synchronised to well under a second; 5 s leaves room for an operator's machine running
 * `backfill`, and bounds how long a future-dated event can hold a row against real logins.
 */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5000;

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
        `${name} must map "${field}" (needed for the key, the newest-wins order and the tombstone of a deleted user): the default maps occurredAt to last_event_at and deletedAt to deleted_at (migration 1797033600000)`,
      );
    }
  }
  const columns = Object.values(map);
  if (new Set(columns).size !== columns.length) {
    throw new ConfigurationError(name, `${name} maps two event fields to the same column`);
  }
  return map;
};

const publishedAttributes = (env: Env): string[] => {
  const name = 'PUBLISHED_ATTRIBUTES';
  const list = stringList(env, name, DEFAULT_PUBLISHED_ATTRIBUTES);
  const bad = list.find((attribute) => !COGNITO_ATTRIBUTE_NAME.test(attribute));
  if (bad !== undefined) {
    throw new ConfigurationError(
      name,
      `${name} must list Cognito attribute names separated by commas, got "${bad}"`,
    );
  }
  return list;
};

/**
 * The attributes a column map reads that the published list leaves out. The trigger drops
 * every attribute it does not publish, so such a column would be written NULL on every login.
 * The consumer refuses to start with one (below) and the CDK stack refuses to synthesize.
 *
 * @example
 * unpublishedAttributes({ 'attributes.custom:tenant': 'tenant' }, ['email']); // ['custom:tenant']
 */
export const unpublishedAttributes = (
  map: Readonly<Record<string, string>>,
  published: readonly string[],
): string[] =>
  Object.keys(map)
    .filter((field) => field.startsWith('attributes.'))
    .map((field) => field.slice('attributes.'.length))
    .filter((attribute) => !published.includes(attribute));

const checkMappedAttributesPublished = (
  map: Readonly<Record<string, string>>,
  published: readonly string[],
): void => {
  const missing = unpublishedAttributes(map, published);
  if (missing.length > 0) {
    throw new ConfigurationError(
      'USERS_COLUMN_MAP',
      `USERS_COLUMN_MAP reads ${missing.map((a) => `attributes.${a}`).join(', ')}, which PUBLISHED_ATTRIBUTES (${published.join(',')}) does not publish: the column would be blanked on every login. Add ${missing.join(', ')} to PUBLISHED_ATTRIBUTES (the trigger's and the consumer's), or remove the mapping`,
    );
  }
};

const userPoolIds = (env: Env): string[] => {
  const name = 'USER_POOL_IDS';
  requireString(
    env,
    name,
    'list the Cognito user pool ids whose events this consumer applies, separated by commas (e.g. eu-west-1_AbCdEf123)',
  );
  const ids = stringList(env, name, []);
  const bad = ids.find((id) => !USER_POOL_ID_PATTERN.test(id));
  if (bad !== undefined || ids.length === 0) {
    throw new ConfigurationError(
      name,
      `${name} must list Cognito user pool ids (region_id, e.g. eu-west-1_AbCdEf123) separated by commas, got "${bad ?? env[name] ?? ''}"`,
    );
  }
  return ids;
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

const deleteMode = (env: Env, mode: SyncWriteMode): SyncDeleteMode => {
  const value = optionalString(env, 'SYNC_DELETE_MODE', 'soft');
  if (value !== 'soft' && value !== 'hard') {
    throw new ConfigurationError(
      'SYNC_DELETE_MODE',
      `SYNC_DELETE_MODE must be "soft" or "hard", got "${value}"`,
    );
  }
  if (value === 'hard' && mode !== 'guard') {
    throw new ConfigurationError(
      'SYNC_DELETE_MODE',
      `SYNC_DELETE_MODE=hard requires SYNC_WRITE_MODE=guard (got SYNC_WRITE_MODE=${mode}): hard deletion relies on the migration's user_tombstones triggers`,
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
  const map = columnMap(env);
  const mode = writeMode(env);
  const published = publishedAttributes(env);
  checkMappedAttributesPublished(map, published);
  return {
    hasuraEndpoint: endpoint(env),
    adminSecret: adminSecret(env),
    table: graphqlName(env, 'USERS_TABLE', 'users'),
    constraint: graphqlName(env, 'USERS_CONSTRAINT', 'users_pkey'),
    columnMap: map,
    publishedAttributes: published,
    eventSource: optionalString(env, 'EVENT_SOURCE', pipeline.eventSource),
    userPoolIds: userPoolIds(env),
    maxClockSkewMs: integer(env, 'SYNC_MAX_CLOCK_SKEW_MS', DEFAULT_MAX_CLOCK_SKEW_MS, {
      min: 0,
      max: 300_000,
    }),
    writeMode: mode,
    deleteMode: deleteMode(env, mode),
    requestTimeoutMs: integer(env, 'HASURA_REQUEST_TIMEOUT_MS', 5000, { min: 1, max: 600_000 }),
    retry,
  };
};
