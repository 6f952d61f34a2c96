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
import { DEFAULT_PUBLISHED_ATTRIBUTES } from '../../shared/events/userAuthenticated.js';
import type { AdminSecretSource } from '../../shared/hasuraClient/adminSecretProvider.js';
import { RedactedSecret } from '../../shared/hasuraClient/RedactedSecret.js';
import { pipeline } from '../../shared/pipeline.js';
import { DEFAULT_RECONCILE_COLUMNS, type ReconcileColumns } from './userState.js';

/** Cognito's ListUsers quota is 30 calls per second per account, shared: stay well below. */
export const DEFAULT_RECONCILE_RATE = 5;

/** A small default: a run that would delete more stops and deletes nothing. */
export const DEFAULT_MAX_DELETES = 10;

/** What reconcile reads from the environment (the CLI's flags override some of it). */
export interface ReconcileConfig {
  /** `HASURA_GRAPHQL_ENDPOINT`. */
  readonly hasuraEndpoint: string;
  /** `HASURA_ADMIN_SECRET` or `HASURA_ADMIN_SECRET_ARN`. */
  readonly adminSecret: AdminSecretSource;
  /** `USERS_TABLE`. @default 'users' */
  readonly table: string;
  /** From `USERS_COLUMN_MAP` (the consumer's map), else the table of `docs/lifecycle.md`. */
  readonly columns: ReconcileColumns;
  /** `PUBLISHED_ATTRIBUTES`: what the events carry. @default ['email'] */
  readonly attributes: readonly string[];
  /** `USER_POOL_ID`, when set. */
  readonly userPoolId: string | undefined;
  /** `EVENT_BUS_NAME`. @default pipeline.eventBusName */
  readonly eventBusName: string;
  /** `EVENT_SOURCE`. @default pipeline.eventSource */
  readonly source: string;
  /** `RECONCILE_MAX_DELETES`. @default DEFAULT_MAX_DELETES */
  readonly maxDeletes: number;
  /** `RECONCILE_RATE`: Cognito calls per second. @default DEFAULT_RECONCILE_RATE */
  readonly rate: number;
}

/**
 * The columns of the consumer's `USERS_COLUMN_MAP` (event field → column) reconcile compares:
 * `sub`, `username`, every `attributes.<name>`, and `enabled`, `status`, `occurredAt` when the
 * map names them (otherwise the columns of `docs/lifecycle.md`).
 */
export const columnsFromMap = (map: Readonly<Record<string, string>>): ReconcileColumns => {
  const attributes: Record<string, string> = {};
  for (const [field, column] of Object.entries(map)) {
    if (field.startsWith('attributes.')) attributes[field.slice('attributes.'.length)] = column;
  }
  const d = DEFAULT_RECONCILE_COLUMNS;
  return {
    id: map.sub ?? d.id,
    username: map.username ?? d.username,
    attributes,
    enabled: map.enabled ?? d.enabled,
    status: map.status ?? d.status,
    deletedAt: map.deletedAt ?? d.deletedAt,
    lastEventAt: map.occurredAt ?? d.lastEventAt,
  };
};

/**
 * Reads reconcile's configuration.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 */
export const loadReconcileConfig = (env: Env): ReconcileConfig => {
  const hasuraEndpoint = requireString(
    env,
    'HASURA_GRAPHQL_ENDPOINT',
    'the full GraphQL URL, e.g. https://hasura.example.com/v1/graphql',
  );
  const secret = maybeString(env, 'HASURA_ADMIN_SECRET');
  const secretArn = maybeString(env, 'HASURA_ADMIN_SECRET_ARN');
  let adminSecret: AdminSecretSource;
  if (secret !== undefined) adminSecret = { kind: 'value', secret: new RedactedSecret(secret) };
  else if (secretArn !== undefined) adminSecret = { kind: 'secretsManager', secretArn };
  else {
    throw new ConfigurationError(
      'HASURA_ADMIN_SECRET',
      'HASURA_ADMIN_SECRET is not set (nor HASURA_ADMIN_SECRET_ARN): reconcile reads the users table with the admin secret',
    );
  }
  const rate = Number(optionalString(env, 'RECONCILE_RATE', String(DEFAULT_RECONCILE_RATE)));
  if (!(rate > 0)) {
    throw new ConfigurationError('RECONCILE_RATE', 'RECONCILE_RATE must be a number > 0');
  }
  const map = maybeString(env, 'USERS_COLUMN_MAP');
  return {
    hasuraEndpoint,
    adminSecret,
    table: optionalString(env, 'USERS_TABLE', 'users'),
    columns:
      map === undefined
        ? DEFAULT_RECONCILE_COLUMNS
        : columnsFromMap(stringMap(env, 'USERS_COLUMN_MAP', {})),
    attributes: stringList(env, 'PUBLISHED_ATTRIBUTES', DEFAULT_PUBLISHED_ATTRIBUTES),
    userPoolId: maybeString(env, 'USER_POOL_ID'),
    eventBusName: optionalString(env, 'EVENT_BUS_NAME', pipeline.eventBusName),
    source: optionalString(env, 'EVENT_SOURCE', pipeline.eventSource),
    maxDeletes: integer(env, 'RECONCILE_MAX_DELETES', DEFAULT_MAX_DELETES, {
      min: 0,
      max: 1_000_000,
    }),
    rate,
  };
};
