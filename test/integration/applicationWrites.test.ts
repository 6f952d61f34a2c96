import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type HasuraEngine, startHasuraEngine } from '../../engine/src/server.js';
import type { UserWrite } from '../../services/user-sync/columnMap.js';
import { DEFAULT_COLUMN_MAP } from '../../services/user-sync/columnMap.js';
import { createUserUpsert, type UserUpsert } from '../../services/user-sync/createUserUpsert.js';
import { DETAIL_TYPES } from '../../shared/events/syncEvent.js';
import { createAdminSecretProvider } from '../../shared/hasuraClient/adminSecretProvider.js';
import { createHasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import { RedactedSecret } from '../../shared/hasuraClient/RedactedSecret.js';
import { testDatabase } from '../helpers/testDatabase.js';

// Starting the engine (PGlite or PostgreSQL, migrations, metadata) takes seconds on a busy machine.
jest.setTimeout(60_000);

const SECRET = 'application-writes-secret';

/** One login of `id`, as the consumer writes it (the default column map makes its row). */
const login = (id: string, at: string, eventId: string, email: string | null): UserWrite => ({
  event: {
    type: DETAIL_TYPES.authenticated,
    detail: {
      schemaVersion: 1,
      eventId,
      userPoolId: 'eu-west-1_AppWrites1',
      sub: id,
      username: `name-of-${id}`,
      clientId: null,
      triggerSource: 'PostAuthentication_Authentication',
      authenticatedAt: at,
      attributes: email === null ? {} : { email },
    },
  },
});

/** The totals of a writer's result (its per-type counts left out). */
const totals = (upsert: UserUpsert): Pick<UserUpsert, 'write'> => ({
  write: async (writes, timeoutMs) => {
    const { written, skipped } = await upsert.write(writes, timeoutMs);
    return { written, skipped, byType: new Map() };
  },
});

const secondsFromNow = (seconds: number): string =>
  new Date(Date.now() + seconds * 1000).toISOString();

/**
 * The shipped `hasura/` project against the application's own writes, on PGlite or (when
 * `DATABASE_URL` is set) on PostgreSQL in a schema of this process: plain SQL, Hasura's update
 * mutations and the consumer's two write modes, as the consumer sends them.
 */
describe('Function: users_newest_wins and users_record_application_writes (migrations 1796165068923, 1797033600000)', () => {
  const { databaseUrl, schema, drop: dropSchema } = testDatabase('app_writes');
  let engine: HasuraEngine;
  let guard: Pick<UserUpsert, 'write'>;
  let where: Pick<UserUpsert, 'write'>;
  let adoptedGuard: Pick<UserUpsert, 'write'>;
  let adoptedWhere: Pick<UserUpsert, 'write'>;

  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(engine.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': SECRET },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const runSql = (sql: string) =>
    fetch(`${engine.endpoint}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': SECRET },
      body: JSON.stringify({ type: 'run_sql', args: { sql } }),
    }).then((response) => response.json() as Promise<Record<string, unknown>>);
  const row = async (table: string, id: string) =>
    (
      await engine.sql<Record<string, unknown>>(
        `SELECT email, display_name, plan, last_event_id, app_written_at IS NULL AS no_marks
           FROM ${table} WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    await dropSchema();
    engine = await startHasuraEngine({
      adminSecret: SECRET,
      schema,
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    });
    // The application's own columns, and an adopted copy of the table whose sync columns were
    // added later, nullable, with the shipped triggers attached.
    const ddl = await runSql(`
      ALTER TABLE users ADD COLUMN display_name text, ADD COLUMN plan text;
      CREATE TABLE adopted_users (LIKE users INCLUDING DEFAULTS);
      ALTER TABLE adopted_users ADD CONSTRAINT adopted_users_pkey PRIMARY KEY (id),
        ALTER COLUMN last_event_id DROP NOT NULL, ALTER COLUMN last_event_id DROP DEFAULT;
      CREATE TRIGGER users_newest_wins BEFORE UPDATE OF last_event_at, last_event_id
        ON adopted_users FOR EACH ROW EXECUTE FUNCTION users_newest_wins();`);
    expect(ddl).toMatchObject({ result_type: 'CommandOk' });
    const tracked = await fetch(`${engine.endpoint}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': SECRET },
      body: JSON.stringify({
        type: 'track_table',
        args: { schema: 'public', name: 'adopted_users' },
      }),
    });
    expect(tracked.status).toBe(200);
    const client = createHasuraClient({
      endpoint: engine.graphqlUrl,
      adminSecret: createAdminSecretProvider({
        kind: 'value',
        secret: new RedactedSecret(SECRET),
      }),
    });
    const upsert = (table: string, mode: 'guard' | 'where') =>
      totals(
        createUserUpsert({
          client,
          table,
          constraint: `${table}_pkey`,
          columnMap: DEFAULT_COLUMN_MAP,
          mode,
        }),
      );
    guard = upsert('users', 'guard');
    where = upsert('users', 'where');
    adoptedGuard = upsert('adopted_users', 'guard');
    adoptedWhere = upsert('adopted_users', 'where');
  });
  afterAll(async () => {
    await engine.stop();
    await dropSchema();
  });
  beforeEach(async () => {
    await engine.sql('DELETE FROM users');
    await engine.sql('DELETE FROM adopted_users');
    await guard.write([login('u1', '2026-01-01T00:00:00.000Z', 'e1', 'u1@example.com')], 5000);
  });

  it('takes a plain SQL UPDATE that does not name the ordering columns', async () => {
    // Act
    const updated = await engine.sql("UPDATE users SET email = NULL WHERE id = 'u1' RETURNING id");

    // Assess
    expect(updated).toEqual([{ id: 'u1' }]);
    expect(await row('users', 'u1')).toMatchObject({ email: null, last_event_id: 'e1' });
  });

  it('takes update_users and update_users_by_pk of the application', async () => {
    // Act
    const erased = await graphql(
      'mutation { update_users(where: {id: {_eq: "u1"}}, _set: {email: null}) { affected_rows } }',
    );
    const profile = await graphql(
      `mutation { update_users_by_pk(pk_columns: {id: "u1"}, _set: {display_name: "Ann", plan: "pro"}) {
        display_name plan } }`,
    );

    // Assess
    expect(erased).toEqual({ data: { update_users: { affected_rows: 1 } } });
    expect(profile).toEqual({
      data: { update_users_by_pk: { display_name: 'Ann', plan: 'pro' } },
    });
    expect(await row('users', 'u1')).toMatchObject({
      email: null,
      display_name: 'Ann',
      plan: 'pro',
    });
  });

  it("writes a newer login's mapped columns and leaves the application's columns alone", async () => {
    // Prepare
    await engine.sql("UPDATE users SET display_name = 'Ann', plan = 'pro' WHERE id = 'u1'");

    // Act
    const result = await guard.write(
      [login('u1', secondsFromNow(60), 'e2', 'new@example.com')],
      5000,
    );

    // Assess
    expect(result).toMatchObject({ written: 1, skipped: 0 });
    expect(await row('users', 'u1')).toEqual({
      email: 'new@example.com',
      display_name: 'Ann',
      plan: 'pro',
      last_event_id: 'e2',
      no_marks: true,
    });
  });

  it('still skips an older event and the same event applied twice, in both write modes', async () => {
    // Prepare
    const newer = login('u1', '2026-02-01T00:00:00.000Z', 'e5', 'u1@example.com');
    await guard.write([newer], 5000);

    // Act
    const again = await guard.write([newer], 5000);
    const older = await guard.write([login('u1', '2026-01-15T00:00:00.000Z', 'e3', 'x')], 5000);
    const olderWhere = await where.write(
      [login('u1', '2026-01-15T00:00:00.000Z', 'e3', 'x')],
      5000,
    );

    // Assess
    expect([again, older, olderWhere]).toEqual([
      { written: 0, skipped: 1, byType: new Map() },
      { written: 0, skipped: 1, byType: new Map() },
      { written: 0, skipped: 1, byType: new Map() },
    ]);
    expect(await row('users', 'u1')).toMatchObject({
      email: 'u1@example.com',
      last_event_id: 'e5',
    });
  });

  it('keeps an erasure against a login dated before it, and takes the email of a login after it', async () => {
    // Prepare: the application erases the email now; a login of a second ago is still in flight.
    await graphql(
      'mutation { update_users_by_pk(pk_columns: {id: "u1"}, _set: {email: null}) { id } }',
    );

    // Act
    const inFlight = await guard.write(
      [login('u1', secondsFromNow(-1), 'e2', 'u1@example.com')],
      5000,
    );
    const afterInFlight = await row('users', 'u1');
    const later = await guard.write(
      [login('u1', secondsFromNow(60), 'e3', 'u1@example.com')],
      5000,
    );

    // Assess
    expect(inFlight).toMatchObject({ written: 1, skipped: 0 });
    expect(afterInFlight).toMatchObject({ email: null, last_event_id: 'e2', no_marks: false });
    expect(later).toMatchObject({ written: 1, skipped: 0 });
    expect(await row('users', 'u1')).toMatchObject({
      email: 'u1@example.com',
      last_event_id: 'e3',
      no_marks: true,
    });
  });

  it('keeps an erasure in where mode too', async () => {
    // Prepare
    await engine.sql("UPDATE users SET email = NULL WHERE id = 'u1'");

    // Act
    const inFlight = await where.write(
      [login('u1', secondsFromNow(-1), 'e2', 'u1@example.com')],
      5000,
    );

    // Assess
    expect(inFlight).toMatchObject({ written: 1, skipped: 0 });
    expect(await row('users', 'u1')).toMatchObject({ email: null, last_event_id: 'e2' });
  });

  it('writes an event into an adopted row whose last_event_at is NULL, in both write modes', async () => {
    // Prepare
    await engine.sql(
      `INSERT INTO adopted_users (id, username, email) VALUES ('a1', 'legacy', NULL), ('a2', 'legacy', NULL)`,
    );

    // Act
    const byWhere = await adoptedWhere.write(
      [login('a1', '2026-03-01T00:00:00.000Z', 'e1', 'a1@example.com')],
      5000,
    );
    const byGuard = await adoptedGuard.write(
      [login('a2', '2026-03-01T00:00:00.000Z', 'e1', 'a2@example.com')],
      5000,
    );
    const older = await adoptedWhere.write(
      [login('a1', '2026-02-01T00:00:00.000Z', 'e0', 'old@example.com')],
      5000,
    );
    const rows = await engine.sql('SELECT id, email, last_event_id FROM adopted_users ORDER BY id');

    // Assess
    expect([byWhere, byGuard, older]).toEqual([
      { written: 1, skipped: 0, byType: new Map() },
      { written: 1, skipped: 0, byType: new Map() },
      { written: 0, skipped: 1, byType: new Map() },
    ]);
    expect(rows).toEqual([
      { id: 'a1', email: 'a1@example.com', last_event_id: 'e1' },
      { id: 'a2', email: 'a2@example.com', last_event_id: 'e1' },
    ]);
  });
});
