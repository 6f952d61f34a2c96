import { describe, expect, it } from '@jest/globals';
import {
  envelopeBody,
  loginRecords,
  rawEnvelopeFixture,
  sqsEvent,
  sqsRecord,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';
import { objectsOf, requestAt } from '../../helpers/fakeHasuraServer.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { useFakeHasura } from '../../helpers/useFakeHasura.js';
import { ADMIN_SECRET, consumerFor } from '../../helpers/userSyncHarness.js';

describe('Function: createUserSyncHandler', () => {
  const fake = useFakeHasura();

  it('writes 100 records in exactly one request with the admin secret header', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);

    // Act
    const result = await sync(sqsEvent(loginRecords(100)), lambdaContext(30_000));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers['x-hasura-admin-secret']).toBe(ADMIN_SECRET);
    expect(fake.requests[0]?.body.query).toMatch(/insert_users\(objects: \$objects/);
    expect(objectsOf(requestAt(fake, 0))).toHaveLength(100);
    expect(objectsOf(requestAt(fake, 0)).find((row) => row.id === 'user-7')).toEqual({
      id: 'user-7',
      username: 'user7',
      email: 'user7@example.com',
      last_seen_at: '2026-11-26T10:15:30.123Z',
      last_event_id: 'evt-m-7',
    });
    expect(metrics.sum('BatchSize')).toBe(100);
    expect(metrics.sum('UsersSynced')).toBe(100);
    expect(metrics.sum('HasuraRequests')).toBe(1);
    expect(metrics.points.find((point) => point.name === 'SyncLag')?.value).toBeGreaterThan(0);
  });

  it('writes only the newest event of a user sent several times in one batch', async () => {
    // Prepare
    const { sync } = consumerFor(fake);
    const at = (time: string, eventId: string) =>
      envelopeBody(userDetail({ sub: 'u-1', eventId, authenticatedAt: time }));
    const records = [
      sqsRecord(at('2026-11-26T10:00:00.000Z', 'e-old'), 'm-1'),
      sqsRecord(at('2026-11-26T10:00:02.000Z', 'e-a'), 'm-2'),
      sqsRecord(at('2026-11-26T10:00:02.000Z', 'e-b'), 'm-3'),
      sqsRecord(at('2026-11-26T10:00:02.000Z', 'e-b'), 'm-4'),
      sqsRecord(at('2026-11-26T10:00:01.000Z', 'e-mid'), 'm-5'),
    ];

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));
    const reversed = await sync(sqsEvent([...records].reverse()), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(reversed.batchItemFailures).toEqual([]);
    expect(fake.requests.map((request) => objectsOf(request))).toEqual([
      [
        expect.objectContaining({
          id: 'u-1',
          last_event_id: 'e-b',
          last_seen_at: '2026-11-26T10:00:02.000Z',
        }),
      ],
      [
        expect.objectContaining({
          id: 'u-1',
          last_event_id: 'e-b',
          last_seen_at: '2026-11-26T10:00:02.000Z',
        }),
      ],
    ]);
  });

  it('fails malformed records at once and writes their valid siblings', async () => {
    // Prepare
    const { sync, logger, metrics } = consumerFor(fake);
    const valid = loginRecords(2);
    const wrongType = { ...rawEnvelopeFixture(), 'detail-type': 'UserSignedUp' };
    const v2 = { ...rawEnvelopeFixture(), detail: { ...userDetail(), schemaVersion: 2 } };
    const { sub: _sub, ...withoutSub } = userDetail();
    const noSub = { ...rawEnvelopeFixture(), detail: withoutSub };
    const records = [
      ...valid.slice(0, 1),
      sqsRecord('not json {', 'bad-json'),
      sqsRecord(JSON.stringify(wrongType), 'bad-type'),
      sqsRecord(JSON.stringify(v2), 'bad-version'),
      sqsRecord(JSON.stringify(noSub), 'bad-sub'),
      ...valid.slice(1, 2),
    ];

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'bad-json' },
      { itemIdentifier: 'bad-type' },
      { itemIdentifier: 'bad-version' },
      { itemIdentifier: 'bad-sub' },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(objectsOf(requestAt(fake, 0)).map((row) => row.id)).toEqual(['user-0', 'user-1']);
    const reasons = logger.lines
      .filter((line) => line.level === 'warn')
      .map((line) => JSON.stringify(line.extra));
    expect(reasons).toEqual([
      expect.stringContaining('body is not JSON'),
      expect.stringContaining('detail-type'),
      expect.stringContaining('detail.schemaVersion'),
      expect.stringContaining('detail.sub'),
    ]);
    expect(metrics.sum('RecordsFailed', { class: 'invalid' })).toBe(4);
  });

  it('accepts the fallback message and ignores unknown fields', async () => {
    // Prepare
    const { sync } = consumerFor(fake);
    const fallback = { ...rawEnvelopeFixture(), extra: { nested: true } };

    // Act
    const result = await sync(
      sqsEvent([sqsRecord(JSON.stringify(fallback), 'fb-1')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(objectsOf(requestAt(fake, 0))).toEqual([
      expect.objectContaining({
        id: '0b5c8f2e-4a1d-4e7b-9c3a-6f8d2e1b0a9c',
        email: 'alice@example.com',
      }),
    ]);
  });

  it('counts rows the newest-wins guard skipped as stale events', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith((request) => ({
      json: {
        data: {
          insert_users: { affected_rows: Math.min(6, objectsOf(request).length) },
        },
      },
    }));

    // Act
    const result = await sync(sqsEvent(loginRecords(10)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(metrics.sum('UsersSynced')).toBe(6);
    expect(metrics.sum('StaleEventsSkipped')).toBe(4);
  });

  it('writes one request of aliased insert_users_one with a conflict filter in where mode', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake, { SYNC_WRITE_MODE: 'where' });
    fake.respondWith(() => ({
      json: { data: { u0: { id: 'user-0' }, u1: null, u2: { id: 'user-2' } } },
    }));

    // Act
    const result = await sync(sqsEvent(loginRecords(3)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    const { query, variables } = requestAt(fake, 0).body;
    expect(query).toMatch(
      /u2: insert_users_one\(object: \$o2, on_conflict: \{constraint: users_pkey, update_columns: \[username, email, last_seen_at, last_event_id\], where: \$w2\}\)/,
    );
    expect(variables.w1).toEqual({
      _or: [
        { last_seen_at: { _is_null: true } },
        { last_seen_at: { _lt: '2026-11-26T10:15:30.123Z' } },
        {
          _and: [
            { last_seen_at: { _eq: '2026-11-26T10:15:30.123Z' } },
            { _or: [{ last_event_id: { _is_null: true } }, { last_event_id: { _lt: 'evt-m-1' } }] },
          ],
        },
      ],
    });
    expect(metrics.sum('UsersSynced')).toBe(2);
    expect(metrics.sum('StaleEventsSkipped')).toBe(1);
  });
});
