/**
 * SQL executor adapters: embedded PGlite (in memory) or a real PostgreSQL server through `pg`.
 * The engine only needs parameterised queries, a transaction wrapper and a multi-statement
 * `run_sql`; both adapters pin the session to UTC and to the project schema.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Runs one parameterised SQL statement. */
export interface SqlExecutor {
  /** Runs `text` with `$1…` parameters and returns the rows. */
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
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
}

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

/** Opens a `pg` pool on a real PostgreSQL server. */
const openPg = async (url: string, schema: string, poolSize: number): Promise<Database> => {
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
    options: `-c search_path=${searchPath(schema).replaceAll(' ', '')} -c TimeZone=UTC`,
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => undefined);
  const executor = (q: pg.Pool | pg.PoolClient): SqlExecutor => ({
    query: async <T>(text: string, params: readonly unknown[] = []) =>
      (await q.query(text, params as unknown[])).rows as T[],
  });
  return {
    kind: 'pg',
    ...executor(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    runSql: async (sql) => {
      const client = await pool.connect();
      try {
        const raw = (await client.query({ text: sql, rowMode: 'array' })) as
          | pg.QueryArrayResult
          | pg.QueryArrayResult[];
        const last = Array.isArray(raw) ? raw.at(-1) : raw;
        const fields = last?.fields.map((field) => field.name) ?? [];
        const rows = (last?.rows ?? []).map((row) => row.map(toText));
        return { fields, rows };
      } finally {
        client.release();
      }
    },
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
    : openPg(options.databaseUrl, schema, options.poolSize ?? 10);
};
