import pg from 'pg';
import type { UserAuthenticatedV1 } from '../shared/events/userAuthenticated.js';
import { quoteIdent } from './rawSqlWriter.js';

/** How the stored rows compare with the expected final state. */
export interface RowCheck {
  /** Rows in the table. */
  readonly rows: number;
  /** Users whose row is missing. */
  readonly missing: number;
  /** Users whose row holds another event than the expected one. */
  readonly wrong: number;
  /** True when no row is missing or wrong and there is no extra row. */
  readonly ok: boolean;
}

/** A pg connection to the benchmark's schema: empty the users table and check its rows. */
export interface UsersTable {
  /** Removes every row (keeps the table, its trigger and the engine's metadata). */
  truncate(): Promise<void>;
  /** Turns the newest-wins trigger off (`where` mode must work without it) or back on. */
  setGuardTrigger(enabled: boolean): Promise<void>;
  /**
   * Compares the rows with `expected`: for each user, `last_event_id` must be the expected
   * event's id (`byEvent`), or only the row's presence is checked (`presence`, for the naive
   * client, which never updates a row).
   */
  check(
    expected: ReadonlyMap<string, UserAuthenticatedV1>,
    mode: 'byEvent' | 'presence',
  ): Promise<RowCheck>;
  close(): Promise<void>;
}

/**
 * Opens one pg connection to `databaseUrl` for the users table of `schema`.
 *
 * @param databaseUrl - the PostgreSQL server.
 * @param schema - the schema the engine applied the project into.
 */
export const openUsersTable = async (databaseUrl: string, schema: string): Promise<UsersTable> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const table = `${quoteIdent(schema)}.users`;
  return {
    async truncate() {
      await client.query(`TRUNCATE ${table}`);
    },
    async setGuardTrigger(enabled) {
      await client.query(`ALTER TABLE ${table} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
    },
    async check(expected, mode) {
      const result = await client.query<{ id: string; last_event_id: string }>(
        `SELECT id, last_event_id FROM ${table}`,
      );
      const stored = new Map(result.rows.map((row) => [row.id, row.last_event_id]));
      let missing = 0;
      let wrong = 0;
      for (const [sub, event] of expected) {
        const eventId = stored.get(sub);
        if (eventId === undefined) missing += 1;
        else if (mode === 'byEvent' && eventId !== event.eventId) wrong += 1;
      }
      return {
        rows: result.rows.length,
        missing,
        wrong,
        ok: missing === 0 && wrong === 0 && result.rows.length === expected.size,
      };
    },
    async close() {
      await client.end();
    },
  };
};
