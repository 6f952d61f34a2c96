import pg from 'pg';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';

/** A local stack for one test file, on PGlite or (when `DATABASE_URL` is set) PostgreSQL. */
export interface TestStack {
  readonly stack: LocalStack;
  /** The Postgres schema of the users table. */
  readonly schema: string;
  /** Runs SQL on the engine's database. */
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops the stack and, on PostgreSQL, drops the test's schema. */
  stop(): Promise<void>;
}

const dropSchema = async (databaseUrl: string, schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
};

/**
 * Starts the local stack for a test file: moto on a free port, the engine on PGlite or, when
 * `DATABASE_URL` is set (CI runs the suite both ways), on that PostgreSQL in a schema of its own
 * that is dropped before and after, so a shared database is never touched elsewhere.
 *
 * @param name - short name of the test file, part of the schema name.
 */
export const startTestStack = async (
  name: string,
  options: LocalStackOptions = {},
): Promise<TestStack> => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl === undefined ? 'public' : `it_${name}_${process.pid}`;
  if (databaseUrl !== undefined) await dropSchema(databaseUrl, schema);
  const stack = await startLocalStack({
    logLevel: 'SILENT',
    ...(databaseUrl === undefined ? {} : { databaseUrl, databaseSchema: schema }),
    ...options,
  });
  const engine = stack.hasura.engine;
  if (engine === undefined) throw new Error('the test stack needs the embedded engine');
  return {
    stack,
    schema,
    sql: (text, params) => engine.sql(text, params),
    async stop() {
      await stack.stop();
      if (databaseUrl !== undefined) await dropSchema(databaseUrl, schema);
    },
  };
};
