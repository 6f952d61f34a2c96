import pg from 'pg';
import { quoteIdent } from './rawSqlWriter.js';

/** The schema the benchmark's engine applies the project into: never `public`. */
export const BENCH_SCHEMA = 'bench_user_sync';

/**
 * Drops the benchmark's schema and forgets its applied migrations, so the engine recreates the
 * users table (with its trigger) from `hasura/migrations` on start: every run starts empty,
 * and nothing of other tests sharing the database (`public`, other schemas) is touched.
 *
 * @param databaseUrl - the PostgreSQL server.
 * @param schema - the schema to reset.
 * @default schema BENCH_SCHEMA
 */
export const resetBenchSchema = async (
  databaseUrl: string,
  schema: string = BENCH_SCHEMA,
): Promise<void> => {
  if (schema === 'public') throw new Error('the benchmark never drops the public schema');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    // The engine records applied migrations per schema (Hasura CLI style).
    const catalog = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('hdb_catalog.schema_migrations') IS NOT NULL AS exists`,
    );
    if (catalog.rows[0]?.exists === true) {
      await client.query('DELETE FROM hdb_catalog.schema_migrations WHERE schema_name = $1', [
        schema,
      ]);
    }
  } finally {
    await client.end();
  }
};

/** Redacts the password of a connection string for printing. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
};
