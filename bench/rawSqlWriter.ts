import pg from 'pg';
import type { UserAuthenticatedV1 } from '../shared/events/userAuthenticated.js';
import { chunk, startStopwatch } from './benchStats.js';
import { compareEvents } from './loginStream.js';

/** Outcome of {@link writeWithRawSql}. */
export interface RawSqlRun {
  /** Wall time of the whole run, ms. */
  readonly wallMs: number;
  /** Duration of each batch statement, ms. */
  readonly batchMs: number[];
  /** Statements sent. */
  readonly statements: number;
}

/** Quotes an SQL identifier. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * Keeps the newest event of each user in one batch: one `INSERT … ON CONFLICT DO UPDATE` may
 * not touch the same row twice, and the consumer does the same dedupe.
 */
export const dedupeBatch = (events: readonly UserAuthenticatedV1[]): UserAuthenticatedV1[] => {
  const newest = new Map<string, UserAuthenticatedV1>();
  for (const event of events) {
    const current = newest.get(event.sub);
    if (current === undefined || compareEvents(event, current) > 0) newest.set(event.sub, event);
  }
  return [...newest.values()];
};

/**
 * The floor: the same rows the consumer writes, by raw SQL over ONE pg connection, one
 * multi-row `INSERT … ON CONFLICT (id) DO UPDATE` per batch of `batchSize` events. Newest wins
 * through the table's `users_newest_wins` trigger, exactly as for the consumer's guard mode.
 *
 * @param databaseUrl - the PostgreSQL server.
 * @param schema - the schema holding the users table.
 * @param events - the stream, in delivery order.
 * @param batchSize - events per statement.
 * @default batchSize 100
 */
export const writeWithRawSql = async (
  databaseUrl: string,
  schema: string,
  events: readonly UserAuthenticatedV1[],
  batchSize = 100,
): Promise<RawSqlRun> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const table = `${quoteIdent(schema)}.users`;
  const batchMs: number[] = [];
  const watch = startStopwatch();
  try {
    for (const batch of chunk(events, batchSize)) {
      const rows = dedupeBatch(batch);
      const params: unknown[] = [];
      const tuples = rows.map((event) => {
        const base = params.length;
        params.push(
          event.sub,
          event.username,
          event.attributes.email ?? null,
          event.authenticatedAt,
          event.eventId,
        );
        // A login's row as user-sync writes it: enabled, and the time both as the last sign-in
        // and as the ordering clock the migration's guard compares (last_event_at).
        return `($${base + 1}, $${base + 2}, $${base + 3}, true, $${base + 4}, $${base + 4}, $${base + 5})`;
      });
      const started = performance.now();
      await client.query(
        `INSERT INTO ${table} (id, username, email, enabled, last_seen_at, last_event_at, last_event_id) VALUES ${tuples.join(', ')}
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email,
           enabled = EXCLUDED.enabled, last_seen_at = EXCLUDED.last_seen_at,
           last_event_at = EXCLUDED.last_event_at, last_event_id = EXCLUDED.last_event_id
         RETURNING id`,
        params,
      );
      batchMs.push(performance.now() - started);
    }
  } finally {
    await client.end();
  }
  return { wallMs: watch.wallMs(), batchMs, statements: batchMs.length };
};
