import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { testDatabase } from './testDatabase.js';

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
  const { databaseUrl, schema, drop } = testDatabase(name);
  await drop();
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
      await drop();
    },
  };
};
