import { type HasuraEngine, startHasuraEngine } from '../engine/src/server.js';

/** The Hasura the local stack writes to: the embedded engine or an external Hasura. */
export interface HasuraTarget {
  /** The `/v1/graphql` URL. */
  readonly graphqlUrl: string;
  readonly adminSecret: string;
  /** Where the data lives, for the terminal: `PGlite (in memory)`, `PostgreSQL`, `external Hasura`. */
  readonly description: string;
  /** The embedded engine; absent for an external Hasura. */
  readonly engine?: HasuraEngine;
  /** Stops the engine (an external Hasura is left alone). */
  stop(): Promise<void>;
}

/** Options of {@link startHasuraTarget}. */
export interface HasuraTargetOptions {
  /**
   * An external Hasura (`HASURA_GRAPHQL_ENDPOINT`, the full `/v1/graphql` URL). Its project
   * (`hasura/` migrations and metadata) must already be applied.
   * @default - start the embedded Hasura-compatible engine
   */
  readonly external?: { readonly graphqlUrl: string };
  /**
   * PostgreSQL for the embedded engine (`DATABASE_URL`).
   * @default - embedded PGlite, in memory
   */
  readonly databaseUrl?: string;
  /**
   * Postgres schema of the project's tables in the embedded engine (isolates runs that share
   * one database).
   * @default 'public'
   */
  readonly schema?: string;
  /** The admin secret: the engine's, or the external Hasura's. */
  readonly adminSecret: string;
}

/**
 * Starts the embedded Hasura-compatible engine on a free loopback port (PGlite, or PostgreSQL
 * when `databaseUrl` is given) with the `hasura/` project applied, or wraps an external Hasura.
 */
export const startHasuraTarget = async (options: HasuraTargetOptions): Promise<HasuraTarget> => {
  if (options.external !== undefined) {
    return {
      graphqlUrl: options.external.graphqlUrl,
      adminSecret: options.adminSecret,
      description: `external Hasura at ${options.external.graphqlUrl}`,
      stop: async () => undefined,
    };
  }
  const engine = await startHasuraEngine({
    adminSecret: options.adminSecret,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(options.schema === undefined ? {} : { schema: options.schema }),
  });
  return {
    graphqlUrl: engine.graphqlUrl,
    adminSecret: options.adminSecret,
    description:
      options.databaseUrl === undefined
        ? 'Hasura-compatible engine on PGlite (in memory)'
        : 'Hasura-compatible engine on PostgreSQL (DATABASE_URL)',
    engine,
    stop: () => engine.stop(),
  };
};

/** A row of the users table as the summary and the checks read it. */
export interface SyncedUser {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly last_seen_at: string;
  readonly last_event_id: string;
}

/**
 * Reads every row of the users table through GraphQL with the admin secret, so it works the
 * same against the embedded engine and a real Hasura.
 *
 * @param table - the table's GraphQL name.
 * @default table - 'users'
 */
export const fetchSyncedUsers = async (
  target: Pick<HasuraTarget, 'graphqlUrl' | 'adminSecret'>,
  table = 'users',
): Promise<SyncedUser[]> => {
  const response = await fetch(target.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': target.adminSecret },
    body: JSON.stringify({
      query: `query LocalStackUsers { ${table} { id username email last_seen_at last_event_id } }`,
    }),
  });
  const body = (await response.json()) as {
    data?: Record<string, SyncedUser[]>;
    errors?: { message: string }[];
  };
  const rows = body.data?.[table];
  if (rows === undefined) {
    throw new Error(`reading ${table} failed: ${body.errors?.[0]?.message ?? response.statusText}`);
  }
  return rows;
};
