import { describe, expect, it } from '@jest/globals';
import { DETAIL_TYPES } from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  envelopeBody,
  loginRecords,
  rawEnvelopeFixture,
  signedUpDetail,
  sqsEvent,
  sqsRecord,
  syncEventBody,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';
import { insertFieldsOf, objectsOf, requestAt } from '../../helpers/fakeHasuraServer.js';
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
    expect(fake.requests[0]?.body.query).toMatch(
      /r0: insert_users\(objects: \$r0, on_conflict: \{constraint: users_pkey, update_columns: \[username, email, enabled, last_seen_at, last_event_at, last_event_id\]\}\)/,
    );
    expect(objectsOf(requestAt(fake, 0))).toHaveLength(100);
    expect(objectsOf(requestAt(fake, 0)).find((row) => row.id === 'user-7')).toEqual({
      id: 'user-7',
      username: 'user7',
      email: 'user7@example.com',
      enabled: true,
      last_seen_at: '2026-11-26T10:15:30.123Z',
      last_event_at: '2026-11-26T10:15:30.123Z',
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
    const unknownType = { ...rawEnvelopeFixture(), 'detail-type': 'UserExploded' };
    // A login's detail under a lifecycle detail type: malformed for that type.
    const wrongType = { ...rawEnvelopeFixture(), 'detail-type': 'UserSignedUp' };
    const v2 = { ...rawEnvelopeFixture(), detail: { ...userDetail(), schemaVersion: 2 } };
    const { sub: _sub, ...withoutSub } = userDetail();
    const noSub = { ...rawEnvelopeFixture(), detail: withoutSub };
    const records = [
      ...valid.slice(0, 1),
      sqsRecord('not json {', 'bad-json'),
      sqsRecord(JSON.stringify(unknownType), 'bad-unknown'),
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
      { itemIdentifier: 'bad-unknown' },
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
      expect.stringContaining(
        'not an event of the contract: detail-type \\"UserExploded\\" is not one of UserAuthenticated, UserSignedUp, UserUpdated, UserDeleted',
      ),
      expect.stringContaining('not a UserSignedUp v1 event: detail.occurredAt'),
      expect.stringContaining('detail.schemaVersion'),
      expect.stringContaining('detail.sub'),
    ]);
    expect(metrics.sum('RecordsFailed', { class: 'invalid' })).toBe(5);
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
          r0: { affected_rows: Math.min(6, objectsOf(request).length) },
        },
      },
    }));

    // Act
    const result = await sync(sqsEvent(loginRecords(10)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(metrics.sum('UsersSynced')).toBe(6);
    expect(metrics.sum('StaleEventsSkipped')).toBe(4);
    expect(metrics.sum('UserAuthenticatedApplied')).toBe(6);
    expect(metrics.sum('UserAuthenticatedSkipped')).toBe(4);
  });

  it('writes one request of aliased insert_users_one with a conflict filter in where mode', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake, { SYNC_WRITE_MODE: 'where' });
    fake.respondWith(() => ({
      json: {
        data: {
          u0: { id: 'user-0' },
          s0: { affected_rows: 0 },
          u1: null,
          s1: { affected_rows: 0 },
          u2: { id: 'user-2' },
          s2: { affected_rows: 0 },
        },
      },
    }));

    // Act
    const result = await sync(sqsEvent(loginRecords(3)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    const { query, variables } = requestAt(fake, 0).body;
    expect(query).toMatch(
      /u2: insert_users_one\(object: \$o2, on_conflict: \{constraint: users_pkey, update_columns: \[username, email, enabled, last_seen_at, last_event_at, last_event_id\], where: \$w2\}\)/,
    );
    expect(query).toMatch(/s2: update_users\(where: \$s2, _set: \$v2\) \{ affected_rows \}/);
    const at = '2026-11-26T10:15:30.123Z';
    expect(variables.w1).toEqual({
      _and: [
        { deleted_at: { _is_null: true } },
        {
          _or: [
            { last_event_at: { _is_null: true } },
            { last_event_at: { _lt: at } },
            {
              _and: [
                { last_event_at: { _eq: at } },
                {
                  _or: [
                    { last_event_id: { _is_null: true } },
                    { last_event_id: { _lt: 'evt-m-1' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    // The login register: last_seen_at rises to the login's time, also for a stale login.
    expect(variables.s1).toEqual({
      _and: [
        { id: { _eq: 'user-1' } },
        { deleted_at: { _is_null: true } },
        { _or: [{ last_seen_at: { _is_null: true } }, { last_seen_at: { _lt: at } }] },
      ],
    });
    expect(variables.v1).toEqual({ last_seen_at: at });
    expect(metrics.sum('UsersSynced')).toBe(2);
    expect(metrics.sum('StaleEventsSkipped')).toBe(1);
  });

  /** One record of each detail type, each of its own user, and a login riding with an update. */
  const everyType = () => [
    sqsRecord(
      envelopeBody(userDetail({ sub: 'u-login', eventId: 'e-1', status: 'CONFIRMED' })),
      'm-1',
    ),
    sqsRecord(
      syncEventBody({
        type: DETAIL_TYPES.signedUp,
        detail: signedUpDetail({ sub: 'u-new', eventId: 'e-2' }),
      }),
      'm-2',
    ),
    sqsRecord(
      syncEventBody({
        type: DETAIL_TYPES.updated,
        detail: updatedDetail({ sub: 'u-off', eventId: 'e-3' }),
      }),
      'm-3',
    ),
    sqsRecord(envelopeBody(userDetail({ sub: 'u-off', eventId: 'e-4' })), 'm-4'),
    sqsRecord(
      syncEventBody({
        type: DETAIL_TYPES.deleted,
        detail: deletedDetail({ sub: 'u-gone', eventId: 'e-5' }),
      }),
      'm-5',
    ),
    sqsRecord(envelopeBody(userDetail({ sub: 'u-gone', eventId: 'e-6' })), 'm-6'),
  ];

  it('writes every detail type in one request, one aliased insert per row shape with its own update columns', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);

    // Act
    const result = await sync(sqsEvent(everyType()), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    const fields = insertFieldsOf(requestAt(fake, 0));
    expect(fields.map((field) => field.rows.map((row) => row.id))).toEqual([
      ['u-login'],
      ['u-gone'],
      ['u-new'],
      ['u-off'],
    ]);
    const { query } = requestAt(fake, 0).body;
    const updateColumns = [...query.matchAll(/update_columns: \[([^\]]*)\]/g)].map((m) => m[1]);
    expect(updateColumns).toEqual([
      'username, email, enabled, user_status, last_seen_at, last_event_at, last_event_id',
      'username, email, enabled, user_status, last_seen_at, last_event_at, last_event_id, deleted_at',
      'username, email, enabled, user_status, last_event_at, last_event_id',
      'username, email, enabled, user_status, last_seen_at, last_event_at, last_event_id',
    ]);
    // The update wins u-off's profile; its login rides along for last_seen_at.
    expect(fields[3]?.rows).toEqual([
      expect.objectContaining({
        enabled: false,
        last_event_id: 'e-3',
        last_seen_at: '2026-11-26T10:15:30.123Z',
      }),
    ]);
    // The deletion wins over the newer login of the same user.
    expect(fields[1]?.rows).toEqual([
      expect.objectContaining({
        username: null,
        email: null,
        deleted_at: '2026-11-26T10:31:45.002Z',
      }),
    ]);
    expect(metrics.sum('UsersSynced')).toBe(4);
    expect(metrics.sum('UsersTombstoned')).toBe(1);
    for (const type of Object.values(DETAIL_TYPES)) {
      expect({ type, applied: metrics.sum(`${type}Applied`) }).toEqual({
        type,
        applied: 1,
      });
    }
  });

  it('records deletions as user_tombstones rows in hard delete mode', async () => {
    // Prepare
    const { sync } = consumerFor(fake, { SYNC_DELETE_MODE: 'hard' });

    // Act
    const result = await sync(sqsEvent(everyType()), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const { query } = requestAt(fake, 0).body;
    expect(query).toMatch(
      /insert_user_tombstones\(objects: \$r\d, on_conflict: \{constraint: user_tombstones_pkey, update_columns: \[\]\}\)/,
    );
    const tombstones = insertFieldsOf(requestAt(fake, 0)).find((field) =>
      field.rows.some((row) => row.id === 'u-gone'),
    );
    expect(tombstones?.rows).toEqual([{ id: 'u-gone', deleted_at: '2026-11-26T10:31:45.002Z' }]);
  });

  it('counts a deletion of an already deleted user as skipped, not tombstoned', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith((request) => ({
      json: {
        data: Object.fromEntries(
          insertFieldsOf(request).map(({ alias }) => [alias, { affected_rows: 0 }]),
        ),
      },
    }));
    const deletion = syncEventBody({ type: DETAIL_TYPES.deleted, detail: deletedDetail() });

    // Act
    const result = await sync(sqsEvent([sqsRecord(deletion, 'm-1')]), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(metrics.sum('UsersTombstoned')).toBe(0);
    expect(metrics.sum('UserDeletedSkipped')).toBe(1);
  });
});
