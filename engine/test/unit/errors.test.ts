import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { graphqlErrorBody, HasuraError } from '../../src/errors.js';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import { post, userRow } from './helpers.js';

// PGlite starts in a few seconds, more on a loaded machine.
jest.setTimeout(30_000);

const error = (code: string, message: string, path = '$') => ({
  errors: [{ message, extensions: { path, code } }],
});

describe('Function: startHasuraEngine (errors and bad input)', () => {
  let engine: HasuraEngine;
  const admin = { 'x-hasura-admin-secret': 'secret' };
  const insertOne = `mutation($o: users_insert_input!) { insert_users_one(object: $o) { id } }`;

  beforeAll(async () => {
    engine = await startHasuraEngine({ adminSecret: 'secret', maxBodyBytes: 64 * 1024 });
  }, 120_000);
  afterAll(async () => {
    await engine.stop();
  });

  it('answers a unique violation with constraint-violation and Hasura text', async () => {
    // Prepare
    const row = userRow('dup', '2026-01-01T00:00:00Z', 'e1');
    const query = `mutation($objects: [users_insert_input!]!) { insert_users(objects: $objects) { affected_rows } }`;

    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query, variables: { objects: [row, row] } },
      admin,
    );

    // Assess
    expect(answer).toEqual({
      status: 200,
      body: error(
        'constraint-violation',
        'Uniqueness violation. duplicate key value violates unique constraint "users_pkey"',
        '$.selectionSet.insert_users.args.objects',
      ),
    });
  });

  it('answers a missing NOT NULL column with constraint-violation', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: insertOne, variables: { o: { id: 'x', created_at: null } } },
      admin,
    );

    // Assess
    expect(answer.body).toEqual(
      error(
        'constraint-violation',
        'Not-NULL violation. null value in column "created_at" of relation "users" violates not-null constraint',
        '$.selectionSet.insert_users_one.args.object',
      ),
    );
  });

  it('answers a bad timestamp with data-exception', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: insertOne, variables: { o: userRow('x', 'yesterday-ish', 'e') } },
      admin,
    );

    // Assess
    expect(answer.body).toEqual(
      error(
        'data-exception',
        'invalid input syntax for type timestamp with time zone: "yesterday-ish"',
        '$.selectionSet.insert_users_one.args.object',
      ),
    );
  });

  it("answers a user trigger's RAISE EXCEPTION (P0001) as Hasura does: unexpected, with internal for admin", async () => {
    // Prepare
    await engine.sql(`CREATE FUNCTION refuse_blocked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.username = 'blocked' THEN
          RAISE EXCEPTION 'username % is blocked', NEW.username USING HINT = 'choose another one';
        END IF;
        RETURN NEW;
      END $$`);
    await engine.sql(
      'CREATE TRIGGER refuse_blocked BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION refuse_blocked()',
    );

    try {
      // Act
      const answer = await post(
        engine.graphqlUrl,
        {
          query: insertOne,
          variables: { o: userRow('t1', '2026-01-01T00:00:00Z', 'e', 'blocked') },
        },
        admin,
      );

      // Assess
      expect(answer).toEqual({
        status: 200,
        body: {
          errors: [
            {
              message: 'database query error',
              extensions: {
                path: '$.selectionSet.insert_users_one.args.object',
                code: 'unexpected',
                internal: {
                  statement: expect.stringContaining('INSERT INTO'),
                  arguments: expect.arrayContaining(['t1', 'blocked']),
                  prepared: false,
                  error: {
                    exec_status: 'FatalError',
                    status_code: 'P0001',
                    message: 'username blocked is blocked',
                    description: null,
                    hint: 'choose another one',
                  },
                },
              },
            },
          ],
        },
      });
    } finally {
      await engine.sql('DROP TRIGGER refuse_blocked ON users');
      await engine.sql('DROP FUNCTION refuse_blocked()');
    }
  });

  it('answers a check violation with permission-error and no internal, as Hasura does', async () => {
    // Prepare
    await engine.sql(
      `ALTER TABLE users ADD CONSTRAINT username_not_reserved CHECK (username <> 'root')`,
    );

    try {
      // Act
      const answer = await post(
        engine.graphqlUrl,
        { query: insertOne, variables: { o: userRow('c1', '2026-01-01T00:00:00Z', 'e', 'root') } },
        admin,
      );

      // Assess
      expect(answer).toEqual({
        status: 200,
        body: error(
          'permission-error',
          'Check constraint violation. new row for relation "users" violates check constraint "username_not_reserved"',
          '$.selectionSet.insert_users_one.args.object',
        ),
      });
    } finally {
      await engine.sql('ALTER TABLE users DROP CONSTRAINT username_not_reserved');
    }
  });

  it('answers an unknown field with validation-failed', async () => {
    // Act
    const answer = await post(engine.graphqlUrl, { query: '{ users { id nope } }' }, admin);

    // Assess
    expect(answer.body).toEqual(
      error(
        'validation-failed',
        `field "nope" not found in type: 'users'`,
        '$.selectionSet.users.selectionSet.nope',
      ),
    );
  });

  it('answers a wrongly typed variable with validation-failed', async () => {
    // Act
    const declared = await post(
      engine.graphqlUrl,
      { query: 'query($id: Int!) { users_by_pk(id: $id) { id } }', variables: { id: 1 } },
      admin,
    );
    const given = await post(
      engine.graphqlUrl,
      { query: 'query($id: String!) { users_by_pk(id: $id) { id } }', variables: { id: 1 } },
      admin,
    );

    // Assess
    expect(declared.body).toEqual(
      error(
        'validation-failed',
        `variable 'id' is declared as 'Int!', but used where 'String!' is expected`,
        '$.selectionSet.users_by_pk.args.id',
      ),
    );
    expect(given.body).toEqual(
      error(
        'validation-failed',
        'expected a string for type "String", but found number',
        '$.variableValues.id',
      ),
    );
  });

  it('names the exact place of a bad variable value, inside lists and objects', async () => {
    // Prepare
    const query = `mutation($objects: [users_insert_input!]!) { insert_users(objects: $objects) { affected_rows } }`;
    const good = userRow('v1', '2026-01-01T00:00:00Z', 'e1');
    const send = (objects: unknown) =>
      post(engine.graphqlUrl, { query, variables: { objects } }, admin);

    // Act
    const wrongType = await send([good, { ...good, id: 'v2', username: 7 }]);
    const unknownField = await send([{ ...good, nope: 'x' }]);
    const nullItem = await send([good, good, null]);
    const single = await send({ ...good, id: 'v3' });

    // Assess
    expect(wrongType.body).toEqual(
      error(
        'validation-failed',
        'expected a string for type "String", but found number',
        '$.variableValues.objects[1].username',
      ),
    );
    expect(unknownField.body).toEqual(
      error(
        'validation-failed',
        `field "nope" not found in type: 'users_insert_input'`,
        '$.variableValues.objects[0].nope',
      ),
    );
    expect(nullItem.body).toEqual(
      error(
        'validation-failed',
        'unexpected null value for type "users_insert_input"',
        '$.variableValues.objects[2]',
      ),
    );
    // One object where a list is expected is a one-element list.
    expect(single.body).toEqual({ data: { insert_users: { affected_rows: 1 } } });
  });

  it('answers a syntax error with validation-failed at $.query', async () => {
    // Act
    const answer = await post(engine.graphqlUrl, { query: '{ users { id ' }, admin);

    // Assess
    expect(answer.body).toEqual(error('validation-failed', 'not a valid graphql query', '$.query'));
  });

  it('answers a body that is not JSON, lacks query or is too large with HTTP errors', async () => {
    // Act
    const notJson = await post(engine.graphqlUrl, 'not json', admin);
    const noQuery = await post(engine.graphqlUrl, { variables: {} }, admin);
    const tooLarge = await post(
      engine.graphqlUrl,
      { query: `{ users { id } } #${'x'.repeat(70_000)}` },
      admin,
    );

    // Assess
    expect(notJson).toEqual({
      status: 400,
      body: error('invalid-json', 'Error in $: Failed reading: not a valid json value'),
    });
    expect(noQuery).toEqual({
      status: 400,
      body: error('parse-failed', 'Error in $: key "query" not found'),
    });
    expect(tooLarge).toEqual({
      status: 413,
      body: error('bad-request', 'request body is too large'),
    });
  });

  it("answers an unknown route with Hasura's 404 body and /healthz with OK", async () => {
    // Act
    const unknown = await fetch(`${engine.endpoint}/v1/unknown`);
    const health = await fetch(`${engine.endpoint}/healthz`);

    // Assess
    expect({ status: unknown.status, body: await unknown.json() }).toEqual({
      status: 404,
      body: { path: '$', error: 'resource does not exist', code: 'not-found' },
    });
    expect({ status: health.status, body: await health.text() }).toEqual({
      status: 200,
      body: 'OK',
    });
  });

  it('stops answering while suspended and serves the same data after resume', async () => {
    // Prepare
    await post(
      engine.graphqlUrl,
      { query: insertOne, variables: { o: userRow('kept', '2026-01-01T00:00:00Z', 'e') } },
      admin,
    );

    // Act
    await engine.suspend();
    const whileDown = await fetch(`${engine.endpoint}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    await engine.resume();
    const after = await post(
      engine.graphqlUrl,
      { query: '{ users_by_pk(id: "kept") { id } }' },
      admin,
    );

    // Assess
    expect(whileDown).toBe('refused');
    expect(after.body).toEqual({ data: { users_by_pk: { id: 'kept' } } });
  });
});

describe('Function: graphqlErrorBody', () => {
  const unexpected = new HasuraError('unexpected', 'database query error', '$', {
    internal: {
      statement: 'UPDATE users SET username = $1',
      arguments: ['x'],
      prepared: false,
      error: {
        exec_status: 'FatalError',
        status_code: '40P01',
        message: 'deadlock detected',
        description: null,
        hint: null,
      },
    },
  });

  it('shows internal only when asked (admin requests, dev mode)', () => {
    // Act
    const shown = graphqlErrorBody([unexpected], true);
    const hidden = graphqlErrorBody([unexpected], false);

    // Assess
    expect(shown.errors[0]?.extensions).toStrictEqual({
      path: '$',
      code: 'unexpected',
      internal: expect.objectContaining({
        error: expect.objectContaining({ status_code: '40P01' }),
      }),
    });
    expect(hidden.errors[0]?.extensions).toStrictEqual({ path: '$', code: 'unexpected' });
  });

  it('keeps internal when the error is moved to another path', () => {
    // Act
    const moved = graphqlErrorBody([unexpected.at('$.selectionSet.update_users')], true);

    // Assess
    expect(moved.errors[0]?.extensions).toStrictEqual({
      path: '$.selectionSet.update_users',
      code: 'unexpected',
      internal: expect.objectContaining({ statement: 'UPDATE users SET username = $1' }),
    });
  });
});
