import pg from 'pg';
import { type HasuraEngine, startHasuraEngine } from '../../engine/src/server.js';

/** Where a test file's tables live: PGlite's `public`, or a schema of its own on PostgreSQL. */
export interface TestDatabase {
  /** `DATABASE_URL`, when the suite runs on PostgreSQL (CI runs it both ways). */
  readonly databaseUrl: string | undefined;
  /** The Postgres schema of the test file's tables. */
  readonly schema: string;
  /** Drops the schema on PostgreSQL (before and after the file); nothing on PGlite. */
  drop(): Promise<void>;
}

/**
 * The database of a test file: on PGlite the `public` schema of its own embedded database; when
 * `DATABASE_URL` is set, the schema `it_<name>_<pid>` of that PostgreSQL, so a shared database
 * is never touched elsewhere.
 *
 * @param name - short name of the test file, part of the schema name.
 */
export const testDatabase = (name: string): TestDatabase => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl === undefined ? 'public' : `it_${name}_${process.pid}`;
  return {
    databaseUrl,
    schema,
    async drop() {
      if (databaseUrl === undefined) return;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
};

/**
 * Starts the Hasura-compatible engine with the `hasura/` project for a test file, on its
 * {@link testDatabase} (the schema dropped first); `stop` stops it and drops the schema.
 *
 * @param name - short name of the test file, part of the schema name.
 */
export const startTestEngine = async (
  name: string,
  adminSecret: string,
): Promise<{ engine: HasuraEngine; stop(): Promise<void> }> => {
  const { databaseUrl, schema, drop } = testDatabase(name);
  await drop();
  const engine = await startHasuraEngine({
    adminSecret,
    schema,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
  });
  return {
    engine,
    async stop() {
      await engine.stop();
      await drop();
    },
  };
};
