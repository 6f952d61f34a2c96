import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type Database,
  MAX_PREPARED_PER_CONNECTION,
  openDatabase,
  statementName,
} from '../../local/hasura/database.js';

jest.setTimeout(60_000);

/**
 * The engine's database adapter, on PGlite or (when `DATABASE_URL` is set, as CI runs it) on
 * PostgreSQL with ONE pooled connection, so that what a statement leaves on "the" connection
 * can be read back from `pg_prepared_statements`.
 */
describe('Function: openDatabase (prepared statements)', () => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = `it_engine_db_${process.pid}`;
  let db: Database;

  const preparedNames = async (): Promise<string[]> =>
    (
      await db.query<{ name: string }>(
        `SELECT name FROM pg_prepared_statements WHERE name LIKE 'hq\\_%' ORDER BY name`,
      )
    ).map((row) => row.name);

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl, schema, poolSize: 1 });
  });
  afterAll(async () => {
    if (databaseUrl !== undefined) await db.runSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  });

  it('prepares a statement only when asked, once per text, and answers the same either way', async () => {
    // Prepare
    const text = 'SELECT $1::int + 1 AS next';

    // Act
    const plain = await db.query<{ next: number }>(text, [1]);
    const first = await db.query<{ next: number }>(text, [2], { prepare: true });
    const again = await db.query<{ next: number }>(text, [3], { prepare: true });

    // Assess
    expect([plain, first, again]).toEqual([[{ next: 2 }], [{ next: 3 }], [{ next: 4 }]]);
    // PGlite runs every statement unnamed; PostgreSQL keeps the one prepared text.
    expect(await preparedNames()).toEqual(databaseUrl === undefined ? [] : [statementName(text)]);
  });

  it('keeps the connection and its statements after a statement fails', async () => {
    // Prepare
    const divide = 'SELECT 10 / $1::int AS quotient';
    const pid = 'SELECT pg_backend_pid() AS pid';
    const [before] = await db.query<{ pid: number }>(pid);
    await db.query(divide, [5], { prepare: true });

    // Act
    const failure = db.query(divide, [0], { prepare: true });

    // Assess
    await expect(failure).rejects.toThrow('division by zero');
    expect(await db.query(divide, [2], { prepare: true })).toEqual([{ quotient: 5 }]);
    expect(await db.query<{ pid: number }>(pid)).toEqual([before]);
  });

  it('still runs prepared texts after run_sql discards them behind the driver', async () => {
    // Prepare
    const text = 'SELECT $1::text AS echo';
    await db.query(text, ['a'], { prepare: true });

    // Act
    await db.runSql('DEALLOCATE ALL');
    const after = await db.query(text, ['b'], { prepare: true });

    // Assess
    expect(after).toEqual([{ echo: 'b' }]);
  });

  it(`prepares at most ${MAX_PREPARED_PER_CONNECTION} texts on one connection`, async () => {
    // Prepare
    await db.runSql('DISCARD ALL');
    const texts = Array.from(
      { length: MAX_PREPARED_PER_CONNECTION + 5 },
      (_, index) => `SELECT $1::int * ${index} AS product`,
    );

    // Act
    const answers = [];
    for (const text of texts) {
      answers.push(...(await db.query<{ product: number }>(text, [2], { prepare: true })));
    }

    // Assess
    expect(answers.map((row) => row.product)).toEqual(texts.map((_, index) => 2 * index));
    expect((await preparedNames()).length).toBe(
      databaseUrl === undefined ? 0 : MAX_PREPARED_PER_CONNECTION,
    );
  });
});
