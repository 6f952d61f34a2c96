import pg from 'pg';

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
