/**
 * SQL executor adapters: embedded PGlite (in memory) or a real PostgreSQL server through `pg`.
 * The engine only needs parameterised queries, a transaction wrapper and a multi-statement
 * `run_sql`; both adapters pin the session to UTC and to the project schema.
 */
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** How a statement is run. */
export interface QueryOptions {
  /**
   * Prepare the statement on the connection and reuse it for the same text (PostgreSQL only).
   * Hasura prepares its query statements and not its mutations (its source, "Note: [Prepared
   * statements in Mutations]": mutation texts are often single-use and would pile up).
   * @default false
   */
  readonly prepare?: boolean;
}

/** Runs one parameterised SQL statement. */
export interface SqlExecutor {
  /** Runs `text` with `$1…` parameters and returns the rows. */
  query<T>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
}

/** The result of the last statement of a `run_sql`. */
export interface RunSqlResult {
  /** Column names, empty for a command. */
  fields: string[];
  /** Rows as text values, as Hasura's `run_sql` answers them. */
  rows: (string | null)[][];
}

/** A database the engine runs on. */
export interface Database extends SqlExecutor {
  /** Which driver is behind it. */
  readonly kind: 'pglite' | 'pg';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs one or more statements without parameters (Hasura's `run_sql`). */
  runSql(sql: string): Promise<RunSqlResult>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string. @default undefined — embedded in-memory PGlite */
  databaseUrl?: string | undefined;
  /** The schema put first on the search path (created if missing). @default 'public' */
  schema?: string | undefined;
  /** Connections of the `pg` pool. @default 10 */
  poolSize?: number | undefined;
  /**
   * Seconds a `pg` connection lives before the pool replaces it (its prepared statements go
   * with it), as the `connection_lifetime` of a Hasura source's pool settings.
   * @default 600
   */
  connectionLifetimeSeconds?: number | undefined;
}

/**
 * Distinct statements one `pg` connection prepares at most; later new texts run unnamed on it
 * until the pool replaces the connection. Bounds the server memory the plans hold.
 */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** Quotes an SQL identifier. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const toText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const searchPath = (schema: string): string =>
  schema === 'public' ? 'public' : `${quoteIdent(schema)}, public`;

/** Opens an embedded PGlite database. */
const openPglite = async (schema: string): Promise<Database> => {
  const db = await PGlite.create();
  await db.exec(
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${searchPath(schema)}; SET TIME ZONE 'UTC';`,
  );
  const executor = (q: Pick<PGlite, 'query'>): SqlExecutor => ({
    query: async <T>(text: string, params: readonly unknown[] = []) =>
      (await q.query<T>(text, params as unknown[])).rows,
  });
  return {
    kind: 'pglite',
    ...executor(db),
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    runSql: async (sql) => {
      const results = await db.exec(sql);
      const last = results.at(-1);
      const fields = last?.fields.map((field) => field.name) ?? [];
      const rows = (last?.rows ?? []).map((row) =>
        fields.map((name) => toText((row as Record<string, unknown>)[name])),
      );
      return { fields, rows };
    },
    close: () => db.close(),
  };
};

/** The name a statement is prepared under: derived from its text, so equal texts share it. */
export const statementName = (text: string): string =>
  `hq_${createHash('sha1').update(text).digest('base64url')}`;

/**
 * A `pg` query; with `prepare`, its statement is prepared on the connection (as Hasura does for
 * queries when the source sets `use_prepared_statements`), so the server parses and plans a
 * text once per connection instead of once per request. At most
 * {@link MAX_PREPARED_PER_CONNECTION} texts are prepared on one connection.
 */
const runQuery = async <T>(
  client: pg.PoolClient,
  text: string,
  params: readonly unknown[],
  options: QueryOptions,
): Promise<T[]> => {
  const values = params as unknown[];
  const name = options.prepare === true ? claimName(client, text) : undefined;
  const result = await client.query(name === undefined ? { text, values } : { name, text, values });
  return result.rows as T[];
};

/**
 * The name to prepare `text` under on `client`, counted before it runs (a text that fails to
 * parse is counted too, which only makes the cap stricter), or `undefined` once the connection
 * holds {@link MAX_PREPARED_PER_CONNECTION} other texts.
 */
const claimName = (client: pg.PoolClient, text: string): string | undefined => {
  const name = statementName(text);
  let prepared = preparedOn.get(client);
  if (prepared === undefined) {
    prepared = new Set();
    preparedOn.set(client, prepared);
  }
  if (!prepared.has(name)) {
    if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
    prepared.add(name);
  }
  return name;
};

/** Names prepared on each pooled connection. */
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** Connections to close when released (their prepared statements may be gone). */
const retired = new WeakSet<pg.PoolClient>();

/** Opens a `pg` pool on a real PostgreSQL server. */
const openPg = async (
  url: string,
  schema: string,
  poolSize: number,
  lifetimeSeconds: number,
): Promise<Database> => {
  if (schema !== 'public') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } catch (error) {
      // Two engines may create the same schema at once; the loser sees a unique violation.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    maxLifetimeSeconds: lifetimeSeconds,
    options: `-c search_path=${searchPath(schema).replaceAll(' ', '')} -c TimeZone=UTC`,
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => undefined);
  const executor = (client: pg.PoolClient): SqlExecutor => ({
    query: <T>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) =>
      runQuery<T>(client, text, params, options),
  });
  /**
   * Runs `fn` on a pooled connection. A connection error while it is checked out is caught
   * here (not left to crash the process) and closes it; an error the server answered for a
   * statement leaves it in the pool with its prepared statements.
   */
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) broken ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      if (broken === undefined && retired.has(client)) {
        broken = new Error('prepared statements discarded by run_sql');
      }
      client.release(broken);
    }
  };
  return {
    kind: 'pg',
    query: <T>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) =>
      withClient((client) => runQuery<T>(client, text, params, options)),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(executor(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    runSql: (sql) =>
      withClient(async (client) => {
        const raw = (await client.query({ text: sql, rowMode: 'array' })) as
          | pg.QueryArrayResult
          | pg.QueryArrayResult[];
        // DISCARD / DEALLOCATE drop the connection's prepared statements behind the driver's
        // back: forget the connection rather than run a statement it no longer has.
        if (/\b(?:discard|deallocate)\b/i.test(sql)) retired.add(client);
        const last = Array.isArray(raw) ? raw.at(-1) : raw;
        const fields = last?.fields.map((field) => field.name) ?? [];
        const rows = (last?.rows ?? []).map((row) => row.map(toText));
        return { fields, rows };
      }),
    close: () => pool.end(),
  };
};

/**
 * Opens the engine's database: PGlite in memory by default, PostgreSQL when `databaseUrl` is set.
 *
 * @example
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
 */
export const openDatabase = (options: OpenDatabaseOptions = {}): Promise<Database> => {
  const schema = options.schema ?? 'public';
  return options.databaseUrl === undefined
    ? openPglite(schema)
    : openPg(
        options.databaseUrl,
        schema,
        options.poolSize ?? 10,
        options.connectionLifetimeSeconds ?? 600,
      );
};
