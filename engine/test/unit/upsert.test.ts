import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import { post, UPSERT_USERS, userRow } from './helpers.js';

// PGlite starts in a few seconds, more on a loaded machine.
jest.setTimeout(30_000);

describe('Function: startHasuraEngine (upserts)', () => {
  let engine: HasuraEngine;
  const admin = { 'x-hasura-admin-secret': 'test-secret' };
  const upsert = (rows: Record<string, string>[]) =>
    post(engine.graphqlUrl, { query: UPSERT_USERS, variables: { objects: rows } }, admin);

  beforeAll(async () => {
    engine = await startHasuraEngine({ adminSecret: 'test-secret' });
  }, 120_000);
  afterAll(async () => {
    await engine.stop();
  });
  beforeEach(async () => {
    await engine.sql('DELETE FROM users');
  });

  it('writes the newest event and skips an older one through the guard', async () => {
    // Prepare
    await upsert([userRow('u1', '2026-01-02T00:00:00.000Z', 'e2')]);

    // Act
    const older = await upsert([userRow('u1', '2026-01-01T00:00:00.000Z', 'e1')]);
    const rows = await engine.sql<{ username: string }>('SELECT username FROM users');

    // Assess
    expect(older.body).toEqual({ data: { insert_users: { affected_rows: 0, returning: [] } } });
    expect(rows).toEqual([{ username: 'name-e2' }]);
  });

  it('treats the same event applied twice as a no-op', async () => {
    // Prepare
    const row = userRow('u1', '2026-01-02T00:00:00.000Z', 'e2');
    await upsert([row]);

    // Act
    const again = await upsert([row]);

    // Assess
    expect(again.body).toEqual({ data: { insert_users: { affected_rows: 0, returning: [] } } });
  });

  it('applies a newer event, keeps created_at and bumps updated_at', async () => {
    // Prepare
    await engine.sql(
      `INSERT INTO users (id, username, last_seen_at, last_event_id, created_at, updated_at)
       VALUES ('u1', 'old', '2026-01-01', 'e1', '2020-01-01', '2020-01-01')`,
    );

    // Act
    const newer = await upsert([userRow('u1', '2026-01-03T00:00:00.000Z', 'e3')]);
    const [row] = await engine.sql<{ created: string; updated: boolean }>(
      "SELECT created_at::text AS created, updated_at > '2021-01-01' AS updated FROM users",
    );

    // Assess
    expect(newer.body).toEqual({
      data: { insert_users: { affected_rows: 1, returning: [{ id: 'u1', username: 'name-e3' }] } },
    });
    expect(row).toEqual({ created: '2020-01-01 00:00:00+00', updated: true });
  });

  it('breaks a timestamp tie with the event id', async () => {
    // Prepare
    await upsert([userRow('u1', '2026-01-01T00:00:00.000Z', 'b')]);

    // Act
    const lower = await upsert([userRow('u1', '2026-01-01T00:00:00.000Z', 'a')]);
    const higher = await upsert([userRow('u1', '2026-01-01T00:00:00.000Z', 'c')]);

    // Assess
    expect(lower.body).toEqual({ data: { insert_users: { affected_rows: 0, returning: [] } } });
    expect(higher.body).toEqual({
      data: { insert_users: { affected_rows: 1, returning: [{ id: 'u1', username: 'name-c' }] } },
    });
  });

  it('upserts a 100-row batch in one request', async () => {
    // Prepare
    const rows = Array.from({ length: 100 }, (_, i) =>
      userRow(`u${i}`, '2026-01-01T00:00:00.000Z', `e${i}`),
    );
    const before = engine.requestCount();

    // Act
    const answer = await upsert(rows);

    // Assess
    expect((answer.body.data as { insert_users: { affected_rows: number } }).insert_users).toEqual(
      expect.objectContaining({ affected_rows: 100 }),
    );
    expect(engine.requestCount() - before).toBe(1);
  });

  it('updates only when on_conflict.where holds', async () => {
    // Prepare
    await upsert([userRow('u1', '2026-01-02T00:00:00.000Z', 'e2')]);
    const query = `mutation($o: users_insert_input!, $w: users_bool_exp!) {
      insert_users_one(object: $o, on_conflict: {constraint: users_pkey, update_columns: [username, last_seen_at, last_event_id], where: $w}) { id username }
    }`;
    const where = (at: string) => ({ last_seen_at: { _lt: at } });

    // Act
    const kept = await post(
      engine.graphqlUrl,
      {
        query,
        variables: {
          o: userRow('u1', '2026-01-01T00:00:00.000Z', 'x', 'old'),
          w: where('2026-01-01T00:00:00Z'),
        },
      },
      admin,
    );
    const changed = await post(
      engine.graphqlUrl,
      {
        query,
        variables: {
          o: userRow('u1', '2026-01-03T00:00:00.000Z', 'y', 'new'),
          w: where('2026-01-03T00:00:00Z'),
        },
      },
      admin,
    );

    // Assess
    expect(kept.body).toEqual({ data: { insert_users_one: null } });
    expect(changed.body).toEqual({ data: { insert_users_one: { id: 'u1', username: 'new' } } });
  });

  it('rolls back the first root field when the second one fails', async () => {
    // Prepare
    const query = `mutation {
      first: insert_users_one(object: {id: "ok", username: "a", last_seen_at: "2026-01-01T00:00:00Z"}) { id }
      second: insert_users_one(object: {id: "bad", username: "b", last_seen_at: "not a time"}) { id }
    }`;

    // Act
    const answer = await post(engine.graphqlUrl, { query }, admin);
    const rows = await engine.sql('SELECT id FROM users');

    // Assess
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'invalid input syntax for type timestamp with time zone: "not a time"',
          extensions: {
            path: '$.selectionSet.insert_users_one.args.object',
            code: 'data-exception',
          },
        },
      ],
    });
    expect(rows).toEqual([]);
  });

  it('selects with where, order_by, limit and offset', async () => {
    // Prepare
    await upsert(
      ['a', 'b', 'c', 'd'].map((id, i) => userRow(id, `2026-01-0${i + 1}T00:00:00Z`, id)),
    );
    const query = `{ users(where: {_and: [{id: {_in: ["a", "b", "c"]}}, {_not: {id: {_eq: "b"}}}], email: {_is_null: false}}, order_by: [{last_seen_at: desc}], limit: 1, offset: 0) { id last_seen_at } }`;

    // Act
    const answer = await post(engine.graphqlUrl, { query }, admin);

    // Assess
    expect(answer.body).toEqual({
      data: { users: [{ id: 'c', last_seen_at: '2026-01-03T00:00:00+00:00' }] },
    });
  });
});
