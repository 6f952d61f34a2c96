import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import { post, UPSERT_USERS, userRow } from './helpers.js';

// PGlite starts in a few seconds, more on a loaded machine.
jest.setTimeout(30_000);

const error = (code: string, message: string, path: string) => ({
  errors: [{ message, extensions: { path, code } }],
});

describe('Function: startHasuraEngine (update mutations)', () => {
  let engine: HasuraEngine;
  const admin = { 'x-hasura-admin-secret': 'secret' };
  const asUser = (id: string) => ({ ...admin, 'x-hasura-role': 'user', 'x-hasura-user-id': id });
  const graphql = (query: string, headers: Record<string, string> = admin, variables = {}) =>
    post(engine.graphqlUrl, { query, variables }, headers);
  const metadata = (body: unknown) => post(`${engine.endpoint}/v1/query`, body, admin);

  beforeAll(async () => {
    engine = await startHasuraEngine({ adminSecret: 'secret' });
    // An application's own columns, and an update permission of the user role on one of them.
    await metadata({
      type: 'bulk',
      args: [
        {
          type: 'run_sql',
          args: { sql: 'ALTER TABLE users ADD COLUMN display_name text, ADD COLUMN seats int' },
        },
        {
          type: 'create_update_permission',
          args: {
            table: { schema: 'public', name: 'users' },
            role: 'user',
            permission: {
              columns: ['display_name'],
              filter: { id: { _eq: 'X-Hasura-User-Id' } },
              check: { display_name: { _neq: 'forbidden' } },
            },
          },
        },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await engine.stop();
  });
  beforeEach(async () => {
    await engine.sql('DELETE FROM users');
    await engine.sql(
      `INSERT INTO users (id, username, email, last_seen_at, last_event_id, seats) VALUES
        ('sub-1', 'alice', 'alice@example.com', '2026-01-01', 'e1', 1),
        ('sub-2', 'bob', 'bob@example.com', '2026-01-02', 'e2', 5)`,
    );
  });

  it('erases a column with update_users and answers affected_rows and returning', async () => {
    // Act
    const answer = await graphql(
      `mutation { update_users(where: {id: {_eq: "sub-1"}}, _set: {email: null}) {
        affected_rows returning { id email } } }`,
    );
    const rows = await engine.sql('SELECT id, email FROM users ORDER BY id');

    // Assess
    expect(answer.body).toEqual({
      data: { update_users: { affected_rows: 1, returning: [{ id: 'sub-1', email: null }] } },
    });
    expect(rows).toEqual([
      { id: 'sub-1', email: null },
      { id: 'sub-2', email: 'bob@example.com' },
    ]);
  });

  it('updates one row with update_users_by_pk and answers null for a missing key', async () => {
    // Act
    const found = await graphql(
      `mutation { update_users_by_pk(pk_columns: {id: "sub-2"}, _set: {display_name: "Bob B."}) {
        id display_name username } }`,
    );
    const missing = await graphql(
      'mutation { update_users_by_pk(pk_columns: {id: "nobody"}, _set: {display_name: "x"}) { id } }',
    );

    // Assess
    expect(found.body).toEqual({
      data: { update_users_by_pk: { id: 'sub-2', display_name: 'Bob B.', username: 'bob' } },
    });
    expect(missing.body).toEqual({ data: { update_users_by_pk: null } });
  });

  it('increments numeric columns with _inc and sets others in the same statement', async () => {
    // Act
    const answer = await graphql(
      `mutation Grow($by: Int!) { update_users(where: {}, _inc: {seats: $by}, _set: {display_name: "grown"}) {
        affected_rows returning { id seats display_name } } }`,
      admin,
      { by: 2 },
    );

    // Assess
    expect(answer.body).toEqual({
      data: {
        update_users: {
          affected_rows: 2,
          returning: expect.arrayContaining([
            { id: 'sub-1', seats: 3, display_name: 'grown' },
            { id: 'sub-2', seats: 7, display_name: 'grown' },
          ]),
        },
      },
    });
  });

  it('answers an update without operators with an empty result and changes nothing', async () => {
    // Act
    const answer = await graphql(
      'mutation { update_users(where: {}) { affected_rows returning { id } } }',
    );

    // Assess
    expect(answer.body).toEqual({ data: { update_users: { affected_rows: 0, returning: [] } } });
  });

  it("answers Hasura's validation errors for a missing where, a doubled column and an unknown one", async () => {
    // Act
    const noWhere = await graphql(
      'mutation { update_users(_set: {email: "x"}) { affected_rows } }',
    );
    const doubled = await graphql(
      'mutation { update_users(where: {}, _set: {seats: 1}, _inc: {seats: 1}) { affected_rows } }',
    );
    const unknown = await graphql(
      'mutation { update_users(where: {}, _set: {nickname: "x"}) { affected_rows } }',
    );

    // Assess
    expect(noWhere.body).toEqual(
      error('validation-failed', "missing required field 'where'", '$.selectionSet.update_users'),
    );
    expect(doubled.body).toEqual(
      error(
        'validation-failed',
        'Column found in multiple operators: "seats".',
        '$.selectionSet.update_users.args',
      ),
    );
    expect(unknown.body).toEqual(
      error(
        'validation-failed',
        `field "nickname" not found in type: 'users_set_input'`,
        '$.selectionSet.update_users.args._set.nickname',
      ),
    );
  });

  it('lets the user role update only the columns and rows its permission grants', async () => {
    // Act
    const own = await graphql(
      'mutation { update_users(where: {}, _set: {display_name: "Alice"}) { affected_rows } }',
      asUser('sub-1'),
    );
    const other = await graphql(
      'mutation { update_users_by_pk(pk_columns: {id: "sub-2"}, _set: {display_name: "x"}) { id } }',
      asUser('sub-1'),
    );
    const column = await graphql(
      'mutation { update_users(where: {}, _set: {email: "x"}) { affected_rows } }',
      asUser('sub-1'),
    );
    const rows = await engine.sql('SELECT id, display_name FROM users ORDER BY id');

    // Assess
    expect(own.body).toEqual({ data: { update_users: { affected_rows: 1 } } });
    expect(other.body).toEqual({ data: { update_users_by_pk: null } });
    expect(column.body).toEqual(
      error(
        'validation-failed',
        `field "email" not found in type: 'users_set_input'`,
        '$.selectionSet.update_users.args._set.email',
      ),
    );
    expect(rows).toEqual([
      { id: 'sub-1', display_name: 'Alice' },
      { id: 'sub-2', display_name: null },
    ]);
  });

  it('fails an update whose check does not hold with permission-error and rolls it back', async () => {
    // Act
    const answer = await graphql(
      'mutation { update_users(where: {}, _set: {display_name: "forbidden"}) { affected_rows } }',
      asUser('sub-1'),
    );
    const rows = await engine.sql<{ display_name: string | null }>(
      "SELECT display_name FROM users WHERE id = 'sub-1'",
    );

    // Assess
    expect(answer.body).toEqual(
      error(
        'permission-error',
        'check constraint of an insert/update permission has failed',
        '$.selectionSet.update_users',
      ),
    );
    expect(rows).toEqual([{ display_name: null }]);
  });

  it('runs every root field of a request in one transaction', async () => {
    // Act
    const answer = await graphql(
      `mutation {
        a: update_users_by_pk(pk_columns: {id: "sub-1"}, _set: {display_name: "kept?"}) { id }
        b: update_users_by_pk(pk_columns: {id: "sub-2"}, _set: {created_at: null}) { id }
      }`,
    );
    const rows = await engine.sql<{ display_name: string | null }>(
      "SELECT display_name FROM users WHERE id = 'sub-1'",
    );

    // Assess
    expect(answer.body).toEqual({
      errors: [
        expect.objectContaining({
          extensions: { path: '$.selectionSet.update_users_by_pk', code: 'constraint-violation' },
        }),
      ],
    });
    expect(rows).toEqual([{ display_name: null }]);
  });

  it("keeps the application's columns when the sync upserts the row later", async () => {
    // Prepare
    await graphql(
      'mutation { update_users_by_pk(pk_columns: {id: "sub-1"}, _set: {display_name: "Alice A."}) { id } }',
    );

    // Act
    const sync = await graphql(UPSERT_USERS, admin, {
      objects: [userRow('sub-1', '2099-01-01T00:00:00.000Z', 'e9')],
    });
    const rows = await engine.sql('SELECT display_name, last_event_id FROM users WHERE id = $1', [
      'sub-1',
    ]);

    // Assess
    expect(sync.body).toEqual({
      data: {
        insert_users: { affected_rows: 1, returning: [{ id: 'sub-1', username: 'name-e9' }] },
      },
    });
    expect(rows).toEqual([{ display_name: 'Alice A.', last_event_id: 'e9' }]);
  });
});
