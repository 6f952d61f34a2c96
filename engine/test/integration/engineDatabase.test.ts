import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type Database,
  MAX_PREPARED_PER_CONNECTION,
  openDatabase,
  statementName,
} from '../../src/database.js';
import { createEngineCore, type EngineCore } from '../../src/engineCore.js';

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

describe('Function: createEngineCore (prepared statements of the project)', () => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = `it_engine_prep_${process.pid}`;
  const admin = { role: 'admin', variables: { 'x-hasura-role': 'admin' }, isAdminSecret: true };
  let core: EngineCore;

  beforeAll(async () => {
    core = await createEngineCore({ databaseUrl, schema });
  });
  afterAll(async () => {
    if (databaseUrl !== undefined)
      await core.db.runSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await core.db.close();
  });

  it('prepares the statements of queries and never those of mutations (use_prepared_statements: true)', async () => {
    // Prepare: the pool hands back the connection released last, so one sequential caller
    // keeps using one connection.
    const prepared = async (): Promise<number> =>
      Number(
        (
          await core.db.query<{ count: string }>(
            `SELECT count(*) AS count FROM pg_prepared_statements WHERE name LIKE 'hq\\_%'`,
          )
        )[0]?.count,
      );
    await core.db.runSql('DISCARD ALL');

    // Act
    const inserted = await core.executor.run(
      {
        query: `mutation { insert_users(objects: [{id: "p1", username: "p", last_seen_at: "2026-01-01T00:00:00Z"}]) { affected_rows } }`,
      },
      admin,
    );
    const afterMutation = await prepared();
    const read = await core.executor.run({ query: '{ users { id } }' }, admin);
    await core.executor.run({ query: '{ users { id } }' }, admin);
    const afterQueries = await prepared();

    // Assess
    expect(JSON.parse(inserted)).toEqual({ data: { insert_users: { affected_rows: 1 } } });
    expect(JSON.parse(read)).toEqual({ data: { users: [{ id: 'p1' }] } });
    expect([afterMutation, afterQueries]).toEqual(databaseUrl === undefined ? [0, 0] : [0, 1]);
  });
});
