import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { HasuraEngine } from '../../engine/src/server.js';
import { DEFAULT_COLUMN_MAP, type UserWrite } from '../../services/user-sync/columnMap.js';
import { createUserUpsert, type UserUpsert } from '../../services/user-sync/createUserUpsert.js';
import { DETAIL_TYPES } from '../../shared/events/syncEvent.js';
import { createAdminSecretProvider } from '../../shared/hasuraClient/adminSecretProvider.js';
import { createHasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import { RedactedSecret } from '../../shared/hasuraClient/RedactedSecret.js';
import { deletedDetail, updatedDetail, userDetail } from '../fixtures/sqs/sqsFactories.js';
import { startTestEngine } from '../helpers/testDatabase.js';

jest.setTimeout(60_000);

const SECRET = 'lifecycle-guard-secret';

const login = (at: string, eventId: string, email = 'u1@example.com'): UserWrite => ({
  event: {
    type: DETAIL_TYPES.authenticated,
    detail: userDetail({ sub: 'u1', eventId, authenticatedAt: at, attributes: { email } }),
  },
});
const update = (at: string, eventId: string, email: string): UserWrite => ({
  event: {
    type: DETAIL_TYPES.updated,
    detail: updatedDetail({ sub: 'u1', eventId, occurredAt: at, attributes: { email } }),
  },
});
const deletion = (at: string, eventId: string): UserWrite => ({
  event: {
    type: DETAIL_TYPES.deleted,
    detail: deletedDetail({ sub: 'u1', eventId, occurredAt: at }),
  },
});

const secondsFromNow = (seconds: number): string =>
  new Date(Date.now() + seconds * 1000).toISOString();

/**
 * Migration 1797033600000's guard, per register, against the consumer's writes and the
 * application's own, on PGlite or (with `DATABASE_URL`) PostgreSQL.
 */
describe('Function: users_newest_wins per register, tombstones (migration 1797033600000)', () => {
  let engine: HasuraEngine;
  let stop: () => Promise<void>;
  let soft: UserUpsert;
  let hard: UserUpsert;
  const row = async () =>
    (
      await engine.sql<Record<string, unknown>>(
        `SELECT email, enabled, last_seen_at::text AS seen, last_event_id, deleted_at IS NOT NULL AS deleted,
                app_written_at IS NULL AS no_marks, display_name
           FROM users WHERE id = 'u1'`,
      )
    )[0];

  beforeAll(async () => {
    ({ engine, stop } = await startTestEngine('lc_guard', SECRET));
    await engine.sql('ALTER TABLE users ADD COLUMN display_name text');
    const client = createHasuraClient({
      endpoint: engine.graphqlUrl,
      adminSecret: createAdminSecretProvider({ kind: 'value', secret: new RedactedSecret(SECRET) }),
    });
    const upsert = (deleteMode: 'soft' | 'hard') =>
      createUserUpsert({
        client,
        table: 'users',
        constraint: 'users_pkey',
        columnMap: DEFAULT_COLUMN_MAP,
        mode: 'guard',
        deleteMode,
      });
    soft = upsert('soft');
    hard = upsert('hard');
  });
  afterAll(async () => {
    await stop();
  });
  beforeEach(async () => {
    await engine.sql('DELETE FROM users');
    await engine.sql('DELETE FROM user_tombstones');
  });

  it('raises last_seen_at from a login stale for the profile, and records no application write', async () => {
    // Prepare
    await soft.write([update('2026-01-02T00:00:00.000Z', 'e2', 'new@example.com')], 5000);

    // Act
    const late = await soft.write(
      [login('2026-01-01T00:00:00.000Z', 'e1', 'old@example.com')],
      5000,
    );
    const older = await soft.write([login('2025-12-01T00:00:00.000Z', 'e0')], 5000);

    // Assess
    expect([late.written, older.written]).toEqual([1, 0]);
    expect(await row()).toMatchObject({
      email: 'new@example.com',
      enabled: false,
      seen: '2026-01-01 00:00:00+00',
      last_event_id: 'e2',
      no_marks: true,
    });
  });

  it("keeps the application's erasure against a state event dated before it, and takes a later one", async () => {
    // Prepare
    await soft.write([login(secondsFromNow(-60), 'e1')], 5000);
    await engine.sql("UPDATE users SET email = NULL, display_name = 'Ann' WHERE id = 'u1'");

    // Act
    const before = await soft.write([update(secondsFromNow(-1), 'e2', 'x@example.com')], 5000);
    const afterBefore = await row();
    const after = await soft.write([update(secondsFromNow(60), 'e3', 'y@example.com')], 5000);

    // Assess
    expect([before.written, after.written]).toEqual([1, 1]);
    expect(afterBefore).toMatchObject({ email: null, last_event_id: 'e2', display_name: 'Ann' });
    expect(await row()).toMatchObject({
      email: 'y@example.com',
      display_name: 'Ann',
      no_marks: true,
    });
  });

  it('keeps a soft tombstone against every later sync write, and takes the application updates', async () => {
    // Prepare
    await soft.write([login('2026-01-01T00:00:00.000Z', 'e1')], 5000);
    await engine.sql("UPDATE users SET display_name = 'Ann' WHERE id = 'u1'");

    // Act
    const deleted = await soft.write([deletion('2026-01-02T00:00:00.000Z', 'd1')], 5000);
    const later = await soft.write([login('2026-02-01T00:00:00.000Z', 'e9')], 5000);
    const again = await soft.write([deletion('2026-01-01T12:00:00.000Z', 'd0')], 5000);
    await engine.sql("UPDATE users SET display_name = 'erased' WHERE id = 'u1'");

    // Assess
    expect([deleted.written, later.written, again.written]).toEqual([1, 0, 0]);
    expect(await row()).toEqual({
      email: null,
      enabled: null,
      seen: null,
      last_event_id: 'd1',
      deleted: true,
      no_marks: false,
      display_name: 'erased',
    });
  });

  it('refuses a hard deletion while the tombstone check is disabled (as shipped), and deletes nothing', async () => {
    // Prepare
    await hard.write([login('2026-01-01T00:00:00.000Z', 'e1')], 5000);

    // Act
    const refused = hard.write([deletion('2026-01-02T00:00:00.000Z', 'd1')], 5000);

    // Assess
    // The trigger's RAISE (SQLSTATE P0001, its text in docs/hasura.md): a data error, so the
    // consumer fails only this record, which waits in the DLQ until the check is enabled.
    await expect(refused).rejects.toMatchObject({ failureClass: 'data', sqlState: 'P0001' });
    expect(await engine.sql('SELECT id FROM users')).toEqual([{ id: 'u1' }]);
    expect(await engine.sql('SELECT id FROM user_tombstones')).toEqual([]);
  });

  it('deletes the row in hard mode, drops every later insert of the sub, and purges old tombstones', async () => {
    // Prepare
    await engine.sql('ALTER TABLE users ENABLE TRIGGER users_drop_tombstoned');
    await hard.write([login('2026-01-01T00:00:00.000Z', 'e1')], 5000);

    // Act
    const deleted = await hard.write([deletion('2026-01-02T00:00:00.000Z', 'd1')], 5000);
    const later = await hard.write([login('2026-02-01T00:00:00.000Z', 'e9')], 5000);
    const rows = await engine.sql('SELECT id FROM users');
    await engine.sql("UPDATE user_tombstones SET deleted_at = now() - interval '91 days'");
    await engine.sql("DELETE FROM user_tombstones WHERE deleted_at < now() - interval '90 days'");

    // Assess
    expect([deleted.written, later.written]).toEqual([1, 0]);
    expect(rows).toEqual([]);
    expect(await engine.sql('SELECT id FROM user_tombstones')).toEqual([]);
    await engine.sql('ALTER TABLE users DISABLE TRIGGER users_drop_tombstoned');
  });

  it("lets the application insert 20,000 users in one statement (the tombstone guard's locks are bounded)", async () => {
    // Prepare: the check on, as a hard-deleting deployment runs it.
    await engine.sql('ALTER TABLE users ENABLE TRIGGER users_drop_tombstoned');

    // Act
    const inserted = await engine.sql<{ n: number }>(
      `WITH added AS (
         INSERT INTO users (id, username, last_event_at, last_event_id)
         SELECT 'bulk-' || i, 'bulk-' || i, now(), '' FROM generate_series(1, 20000) AS i
         RETURNING 1
       ) SELECT count(*)::int AS n FROM added`,
    );

    // Assess
    expect(inserted[0]?.n).toBe(20_000);
  });
});
