import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { type HasuraEngine, startHasuraEngine } from '../../../engine/src/server.js';
import { composeUserSync } from '../../../services/user-sync/compose.js';
import type { UserAuthenticatedV1 } from '../../../shared/events/userAuthenticated.js';
import { envelopeBody, sqsEvent, sqsRecord, userDetail } from '../../fixtures/sqs/sqsFactories.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { recordingLogger, recordingMetrics } from '../../helpers/testDoubles.js';

jest.setTimeout(120_000);

const SECRET = 'property-test-secret';

interface StoredRow {
  id: string;
  username: string;
  email: string | null;
  last_seen_at: Date | string;
  last_event_id: string;
}

/** A login: user index, second within a small window (so ties happen), unique event id. */
const loginArbitrary = fc.record({
  user: fc.integer({ min: 0, max: 4 }),
  second: fc.integer({ min: 0, max: 5 }),
  name: fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(...'abcdefghij') }),
});

/** Events, then how they are delivered: duplicated, shuffled and cut into batches. */
const scenarioArbitrary = fc
  .uniqueArray(
    fc.string({ minLength: 4, maxLength: 6, unit: fc.constantFrom(...'0123456789abcdef') }),
    {
      minLength: 1,
      maxLength: 25,
    },
  )
  .chain((eventIds) =>
    fc.record({
      logins: fc.tuple(...eventIds.map(() => loginArbitrary)).map((logins) =>
        logins.map((login, index) =>
          userDetail({
            eventId: eventIds[index] ?? 'never',
            sub: `sub-${login.user}`,
            username: login.name,
            authenticatedAt: new Date(Date.UTC(2026, 10, 26, 9, 0, login.second)).toISOString(),
            attributes: login.second % 2 === 0 ? { email: `${login.name}@example.com` } : {},
          }),
        ),
      ),
      copies: fc.array(fc.integer({ min: 1, max: 3 }), {
        minLength: eventIds.length,
        maxLength: eventIds.length,
      }),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 75, maxLength: 75 }),
      batchSizes: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 75, maxLength: 75 }),
    }),
  );

/** The newest event of each user, by (authenticatedAt, eventId). */
const newestPerUser = (
  logins: readonly UserAuthenticatedV1[],
): Map<string, UserAuthenticatedV1> => {
  const newest = new Map<string, UserAuthenticatedV1>();
  for (const login of logins) {
    const current = newest.get(login.sub);
    const newer =
      current === undefined ||
      login.authenticatedAt > current.authenticatedAt ||
      (login.authenticatedAt === current.authenticatedAt && login.eventId > current.eventId);
    if (newer) newest.set(login.sub, login);
  }
  return newest;
};

describe.each(['guard', 'where'] as const)(
  'Function: createUserSyncHandler (%s mode, local engine)',
  (mode) => {
    let engine: HasuraEngine;

    beforeAll(async () => {
      engine = await startHasuraEngine({ adminSecret: SECRET });
    });

    afterAll(async () => {
      await engine.stop();
    });

    it('stores the newest event of every user for any order, duplication and batching', async () => {
      // Prepare
      const { handler: sync } = composeUserSync({
        env: {
          HASURA_GRAPHQL_ENDPOINT: engine.graphqlUrl,
          HASURA_ADMIN_SECRET: SECRET,
          USER_POOL_IDS: userDetail().userPoolId,
          SYNC_WRITE_MODE: mode,
        },
        logger: recordingLogger(),
        metrics: recordingMetrics(),
      });

      // Act + Assess (per generated scenario)
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, async ({ logins, copies, order, batchSizes }) => {
          await engine.sql('DELETE FROM users');
          const deliveries: SQSRecord[] = logins.flatMap((login, index) =>
            Array.from({ length: copies[index] ?? 1 }, (_, copy) =>
              sqsRecord(envelopeBody(login), `${login.eventId}-${copy}`),
            ),
          );
          const shuffled = deliveries
            .map((record, index) => ({ record, key: order[index] ?? 0 }))
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

          const rows = await engine.sql<StoredRow>(
            'SELECT id, username, email, last_seen_at, last_event_id FROM users ORDER BY id',
          );
          const expected = [...newestPerUser(logins).values()]
            .sort((a, b) => (a.sub < b.sub ? -1 : 1))
            .map((login) => ({
              id: login.sub,
              username: login.username,
              email: login.attributes.email ?? null,
              last_seen_at: login.authenticatedAt,
              last_event_id: login.eventId,
            }));
          const actual = rows.map((row) => ({
            ...row,
            last_seen_at: new Date(row.last_seen_at).toISOString(),
          }));
          expect(actual).toEqual(expected);
        }),
        { numRuns: 40 },
      );
    });
  },
);
