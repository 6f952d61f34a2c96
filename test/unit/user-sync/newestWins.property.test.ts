import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import type { HasuraEngine } from '../../../engine/src/server.js';
import { composeUserSync } from '../../../services/user-sync/compose.js';
import {
  compareSyncEvents,
  DETAIL_TYPES,
  occurredAtOf,
  type SyncEvent,
} from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  signedUpDetail,
  sqsEvent,
  sqsRecord,
  syncEventBody,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { startTestEngine } from '../../helpers/testDatabase.js';
import { recordingLogger, recordingMetrics } from '../../helpers/testDoubles.js';

jest.setTimeout(240_000);

const SECRET = 'property-test-secret';

/** The columns the property compares, times as ISO strings. */
interface ComparedRow {
  id: string;
  username: string | null;
  email: string | null;
  enabled: boolean | null;
  user_status: string | null;
  last_seen_at: string | null;
  last_event_at: string | null;
  last_event_id: string;
  deleted_at: string | null;
}

const KINDS = ['login', 'login', 'login', 'signUp', 'update', 'update', 'delete'] as const;
const STATUSES = ['CONFIRMED', 'RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD'] as const;

/** One generated event: its kind, user, second within a small window (ties happen), values. */
const eventArbitrary = fc.record({
  kind: fc.constantFrom(...KINDS),
  user: fc.integer({ min: 0, max: 4 }),
  second: fc.integer({ min: 0, max: 5 }),
  name: fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(...'abcdefghij') }),
  email: fc.boolean(),
  enabled: fc.boolean(),
  status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
});

type GeneratedEvent = typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never;

const at = (second: number): string => new Date(Date.UTC(2026, 10, 26, 9, 0, second)).toISOString();

/** The event of the contract a generated one stands for. */
const toEvent = (generated: GeneratedEvent, eventId: string): SyncEvent => {
  const sub = `sub-${generated.user}`;
  const attributes = generated.email ? { email: `${generated.name}@example.com` } : {};
  const status = generated.status ?? 'CONFIRMED';
  switch (generated.kind) {
    case 'login':
      return {
        type: DETAIL_TYPES.authenticated,
        detail: userDetail({
          eventId,
          sub,
          username: generated.name,
          authenticatedAt: at(generated.second),
          attributes,
          // Older trigger versions sent no status.
          ...(generated.status === undefined ? {} : { status: generated.status }),
        }),
      };
    case 'signUp':
      return {
        type: DETAIL_TYPES.signedUp,
        detail: signedUpDetail({
          eventId,
          sub,
          username: generated.name,
          occurredAt: at(generated.second),
          attributes,
          enabled: true,
          status,
        }),
      };
    case 'update':
      return {
        type: DETAIL_TYPES.updated,
        detail: updatedDetail({
          eventId,
          sub,
          username: generated.name,
          occurredAt: at(generated.second),
          attributes,
          enabled: generated.enabled,
          status,
        }),
      };
    default:
      return {
        type: DETAIL_TYPES.deleted,
        detail: deletedDetail({ eventId, sub, occurredAt: at(generated.second) }),
      };
  }
};

/** Events, then how they are delivered: duplicated, shuffled and cut into batches. */
const scenarioArbitrary = fc
  .uniqueArray(
    fc.string({ minLength: 4, maxLength: 6, unit: fc.constantFrom(...'0123456789abcdef') }),
    { minLength: 1, maxLength: 30 },
  )
  .chain((eventIds) =>
    fc.record({
      events: fc
        .tuple(...eventIds.map(() => eventArbitrary))
        .map((generated) => generated.map((g, index) => toEvent(g, eventIds[index] ?? 'never'))),
      copies: fc.array(fc.integer({ min: 1, max: 3 }), {
        minLength: eventIds.length,
        maxLength: eventIds.length,
      }),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 90, maxLength: 90 }),
      batchSizes: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 90, maxLength: 90 }),
    }),
  );

/** What the reference model says of a user's row. */
type Expected =
  | { readonly kind: 'absent' }
  | { readonly kind: 'tombstone'; readonly deletions: readonly SyncEvent[] }
  | {
      readonly kind: 'live';
      readonly row: Omit<ComparedRow, 'user_status'>;
      /** The status the row must hold, or every status it may hold (see below). */
      readonly statuses: readonly (string | null)[];
    };

/**
 * The tiny reference model of docs/lifecycle.md: a user with a deletion is a tombstone (soft)
 * or gone (hard); otherwise the newest event by (occurredAt, eventId) gives the profile, the
 * newest login `last_seen_at`. A login without a status leaves `user_status` as it was, so when
 * the newest event is such a login the status depends on what was applied before it: any status
 * of the user's events, or NULL.
 */
const expectedOf = (events: readonly SyncEvent[], deleteMode: 'soft' | 'hard'): Expected => {
  const deletions = events.filter((event) => event.type === DETAIL_TYPES.deleted);
  if (deletions.length > 0) {
    return deleteMode === 'hard' ? { kind: 'absent' } : { kind: 'tombstone', deletions };
  }
  const newest = [...events].sort(compareSyncEvents).at(-1);
  if (newest === undefined || newest.type === DETAIL_TYPES.deleted) return { kind: 'absent' };
  const logins = events.flatMap((event) =>
    event.type === DETAIL_TYPES.authenticated ? [event.detail.authenticatedAt] : [],
  );
  const status = newest.detail.status;
  const statuses: (string | null)[] =
    status !== undefined
      ? [status]
      : [
          null,
          ...events.flatMap((event) =>
            event.type !== DETAIL_TYPES.deleted && event.detail.status !== undefined
              ? [event.detail.status]
              : [],
          ),
        ];
  return {
    kind: 'live',
    statuses,
    row: {
      id: newest.detail.sub,
      username: newest.detail.username,
      email: newest.detail.attributes.email ?? null,
      enabled: newest.type === DETAIL_TYPES.authenticated ? true : newest.detail.enabled,
      last_seen_at: logins.length === 0 ? null : (logins.sort().at(-1) ?? null),
      last_event_at: occurredAtOf(newest),
      last_event_id: newest.detail.eventId,
      deleted_at: null,
    },
  };
};

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string).toISOString();

const MODES = [
  { writeMode: 'guard', deleteMode: 'soft' },
  { writeMode: 'guard', deleteMode: 'hard' },
  // `where` needs no trigger: it runs on a table without the migration's triggers.
  { writeMode: 'where', deleteMode: 'soft' },
] as const;

describe.each(MODES)(
  'Function: createUserSyncHandler (SYNC_WRITE_MODE=$writeMode, SYNC_DELETE_MODE=$deleteMode, local engine)',
  ({ writeMode, deleteMode }) => {
    // PGlite by default; the same file on PostgreSQL (a schema of its own) with DATABASE_URL.
    let engine: HasuraEngine;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ engine, stop } = await startTestEngine(`prop_${writeMode}_${deleteMode}`, SECRET));
      if (writeMode === 'where') {
        await engine.sql('DROP TRIGGER users_newest_wins ON users');
        await engine.sql('DROP TRIGGER users_record_application_writes ON users');
        await engine.sql('DROP TRIGGER users_drop_tombstoned ON users');
      }
      // Hard deletion runs with the tombstone check enabled, as docs/hasura.md tells a deployment.
      if (deleteMode === 'hard') {
        await engine.sql('ALTER TABLE users ENABLE TRIGGER users_drop_tombstoned');
      }
    });

    afterAll(async () => {
      await stop();
    });

    it('ends with every row equal to its user newest state, tombstones final, for any delivery', async () => {
      // Prepare
      const { handler: sync } = composeUserSync({
        env: {
          HASURA_GRAPHQL_ENDPOINT: engine.graphqlUrl,
          HASURA_ADMIN_SECRET: SECRET,
          USER_POOL_IDS: userDetail().userPoolId,
          SYNC_WRITE_MODE: writeMode,
          SYNC_DELETE_MODE: deleteMode,
        },
        logger: recordingLogger(),
        metrics: recordingMetrics(),
      });

      // Act + Assess (per generated scenario)
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, async ({ events, copies, order, batchSizes }) => {
          await engine.sql('DELETE FROM users');
          await engine.sql('DELETE FROM user_tombstones');
          const deliveries: SQSRecord[] = events.flatMap((event, index) =>
            Array.from({ length: copies[index] ?? 1 }, (_, copy) =>
              sqsRecord(syncEventBody(event), `${event.detail.eventId}-${copy}`),
            ),
          );
          const shuffled = deliveries
            .map((record, index) => ({ record, key: order[index % order.length] ?? 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ record }) => record);
          const batches: SQSRecord[][] = [];
          for (let start = 0, cut = 0; start < shuffled.length; cut += 1) {
            const size = batchSizes[cut % batchSizes.length] ?? 1;
            batches.push(shuffled.slice(start, start + size));
            start += size;
          }
          // Two batches at a time, as concurrent Lambda invocations would run them.
          for (let index = 0; index < batches.length; index += 2) {
            const running = batches
              .slice(index, index + 2)
              .map((batch) => sync(sqsEvent(batch), lambdaContext(30_000)));
            for (const result of await Promise.all(running))
              expect(result.batchItemFailures).toEqual([]);
          }

          const rows = await engine.sql<Record<string, unknown>>(
            `SELECT id, username, email, enabled, user_status, last_seen_at, last_event_at,
                    last_event_id, deleted_at FROM users ORDER BY id`,
          );
          const tombstones = await engine.sql<{ id: string }>(
            'SELECT id FROM user_tombstones ORDER BY id',
          );
          const users = [...new Set(events.map((event) => event.detail.sub))].sort();
          const stored = new Map(rows.map((row) => [row.id as string, row]));
          for (const sub of users) {
            const expected = expectedOf(
              events.filter((event) => event.detail.sub === sub),
              deleteMode,
            );
            const row = stored.get(sub);
            if (expected.kind === 'absent') {
              expect({ sub, row }).toEqual({ sub, row: undefined });
              continue;
            }
            const actual: ComparedRow = {
              id: row?.id as string,
              username: (row?.username ?? null) as string | null,
              email: (row?.email ?? null) as string | null,
              enabled: (row?.enabled ?? null) as boolean | null,
              user_status: (row?.user_status ?? null) as string | null,
              last_seen_at: iso(row?.last_seen_at),
              last_event_at: iso(row?.last_event_at),
              last_event_id: row?.last_event_id as string,
              deleted_at: iso(row?.deleted_at),
            };
            if (expected.kind === 'tombstone') {
              // Final: the first deletion applied stays (no attribute value, no login time).
              const deletion = expected.deletions.find(
                (event) => event.detail.eventId === actual.last_event_id,
              );
              expect(deletion).toBeDefined();
              expect(actual).toEqual({
                id: sub,
                username: null,
                email: null,
                enabled: null,
                user_status: null,
                last_seen_at: null,
                last_event_at: deletion === undefined ? 'none' : occurredAtOf(deletion),
                last_event_id: actual.last_event_id,
                deleted_at: deletion === undefined ? 'none' : occurredAtOf(deletion),
              });
              continue;
            }
            const { user_status: status, ...rest } = actual;
            expect(rest).toEqual(expected.row);
            expect(expected.statuses).toContain(status);
          }
          const deleted = users.filter((sub) =>
            events.some((event) => event.detail.sub === sub && event.type === DETAIL_TYPES.deleted),
          );
          expect(tombstones.map((row) => row.id)).toEqual(deleteMode === 'hard' ? deleted : []);
        }),
        { numRuns: 30 },
      );
    });
  },
);
