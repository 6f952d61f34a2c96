import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import { post } from './helpers.js';

// PGlite starts in a few seconds, more on a loaded machine.
jest.setTimeout(30_000);

describe('Class: MetadataApi (through /v1/query)', () => {
  let engine: HasuraEngine;
  const admin = { 'x-hasura-admin-secret': 'secret' };
  const query = (body: unknown, headers: Record<string, string> = admin) =>
    post(`${engine.endpoint}/v1/query`, body, headers);

  beforeAll(async () => {
    engine = await startHasuraEngine({ adminSecret: 'secret', applyProject: false });
  }, 120_000);
  afterAll(async () => {
    await engine.stop();
  });

  it('creates, tracks, permits and fills a table in one bulk request', async () => {
    // Prepare
    const bulk = {
      type: 'bulk',
      args: [
        {
          type: 'run_sql',
          args: {
            sql: 'CREATE TABLE note (id serial PRIMARY KEY, owner text NOT NULL, body text)',
          },
        },
        { type: 'track_table', args: { schema: 'public', name: 'note' } },
        {
          type: 'create_select_permission',
          args: {
            table: 'note',
            role: 'reader',
            permission: { columns: ['id', 'body'], filter: { owner: 'X-Hasura-User-Id' } },
          },
        },
        {
          type: 'create_insert_permission',
          args: {
            table: 'note',
            role: 'reader',
            permission: { check: { owner: { $eq: 'X-Hasura-User-Id' } }, columns: '*' },
          },
        },
        {
          type: 'insert',
          args: {
            table: 'note',
            objects: [
              { owner: 'a', body: 'first' },
              { owner: 'b', body: 'second' },
            ],
          },
        },
      ],
    };

    // Act
    const answer = await query(bulk);
    const seen = await post(
      engine.graphqlUrl,
      { query: '{ note { id body } }' },
      { ...admin, 'x-hasura-role': 'reader', 'x-hasura-user-id': 'b' },
    );

    // Assess
    expect(answer).toEqual({
      status: 200,
      body: [
        { result_type: 'CommandOk', result: null },
        { message: 'success' },
        { message: 'success' },
        { message: 'success' },
        { affected_rows: 2 },
      ],
    });
    expect(seen.body).toEqual({ data: { note: [{ id: 2, body: 'second' }] } });
  });

  it('fails an insert whose check does not hold with permission-error and rolls it back', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      {
        query:
          'mutation { insert_note(objects: [{owner: "someone-else", body: "x"}]) { affected_rows } }',
      },
      { ...admin, 'x-hasura-role': 'reader', 'x-hasura-user-id': 'b' },
    );
    const rows = await engine.sql("SELECT id FROM note WHERE owner = 'someone-else'");

    // Assess
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'check constraint of an insert/update permission has failed',
          extensions: { path: '$.selectionSet.insert_note.args.objects', code: 'permission-error' },
        },
      ],
    });
    expect(rows).toEqual([]);
  });

  it('answers run_sql rows as text tuples and errors with postgres-error', async () => {
    // Act
    const tuples = await query({ type: 'run_sql', args: { sql: 'SELECT 1 AS one, NULL AS none' } });
    const failing = await query({ type: 'run_sql', args: { sql: 'SELECT * FROM missing_table' } });

    // Assess
    expect(tuples.body).toEqual({
      result_type: 'TuplesOk',
      result: [
        ['one', 'none'],
        ['1', null],
      ],
    });
    expect(failing).toEqual({
      status: 400,
      body: expect.objectContaining({ path: '$.args', code: 'postgres-error' }),
    });
  });

  it('accepts the pg_ names of /v1/metadata; a constraint violation has no internal even in dev mode', async () => {
    // Prepare
    const dev = await startHasuraEngine({ applyProject: false, devMode: true });
    const metadata = (body: unknown) => post(`${dev.endpoint}/v1/metadata`, body);

    try {
      // Act
      const tracked = await metadata({
        type: 'bulk',
        args: [
          { type: 'run_sql', args: { sql: 'CREATE TABLE item (id int PRIMARY KEY)' } },
          { type: 'pg_track_table', args: { table: { schema: 'public', name: 'item' } } },
        ],
      });
      const failed = await post(dev.graphqlUrl, {
        query: 'mutation { insert_item(objects: [{id: 1}, {id: 1}]) { affected_rows } }',
      });

      // Assess
      expect(tracked.body).toEqual([
        { result_type: 'CommandOk', result: null },
        { message: 'success' },
      ]);
      expect(failed.body).toEqual({
        errors: [
          {
            message:
              'Uniqueness violation. duplicate key value violates unique constraint "item_pkey"',
            extensions: {
              path: '$.selectionSet.insert_item.args.objects',
              // Hasura adds `internal` only to the database errors it does not expect.
              code: 'constraint-violation',
            },
          },
        ],
      });
    } finally {
      await dev.stop();
    }
  }, 120_000);

  it('refuses /v1/query to a non-admin role', async () => {
    // Act
    const answer = await query(
      { type: 'run_sql', args: { sql: 'SELECT 1' } },
      { ...admin, 'x-hasura-role': 'reader' },
    );

    // Assess
    expect(answer).toEqual({
      status: 400,
      body: { path: '$', error: 'restricted access : admin only', code: 'access-denied' },
    });
  });
});
