import { describe, expect, it } from '@jest/globals';
import { compileColumnMap, DEFAULT_COLUMN_MAP } from '../../../services/user-sync/columnMap.js';
import { DETAIL_TYPES } from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  signedUpDetail,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';

describe('Function: compileColumnMap', () => {
  const columns = compileColumnMap(DEFAULT_COLUMN_MAP);
  const login = userDetail({
    sub: 'u-1',
    username: 'u1',
    eventId: 'e-1',
    authenticatedAt: '2026-11-26T10:00:00.000Z',
    attributes: {},
  });

  it('builds the row of a login, writing null for an attribute the user lacks', () => {
    // Act
    const { shape, row } = columns.toRow({
      event: { type: DETAIL_TYPES.authenticated, detail: login },
    });

    // Assess
    expect(row).toStrictEqual({
      id: 'u-1',
      username: 'u1',
      email: null,
      enabled: true,
      last_seen_at: '2026-11-26T10:00:00.000Z',
      last_event_at: '2026-11-26T10:00:00.000Z',
      last_event_id: 'e-1',
    });
    // A login without a status leaves user_status as it is stored.
    expect(shape.updateColumns).toEqual([
      'username',
      'email',
      'enabled',
      'last_seen_at',
      'last_event_at',
      'last_event_id',
    ]);
  });

  it('writes the status of a login that carries one', () => {
    // Act
    const { shape, row } = columns.toRow({
      event: { type: DETAIL_TYPES.authenticated, detail: { ...login, status: 'CONFIRMED' } },
    });

    // Assess
    expect(row.user_status).toBe('CONFIRMED');
    expect(shape.key).toBe('UserAuthenticated+status');
  });

  it('builds the row of a state event, with the riding login as last_seen_at', () => {
    // Prepare
    const detail = updatedDetail({
      sub: 'u-1',
      occurredAt: '2026-11-26T10:05:00.000Z',
      eventId: 'e-2',
    });

    // Act
    const alone = columns.toRow({ event: { type: DETAIL_TYPES.updated, detail } });
    const riding = columns.toRow({ event: { type: DETAIL_TYPES.updated, detail }, seen: login });

    // Assess
    expect(alone.row).toStrictEqual({
      id: 'u-1',
      username: 'alice',
      email: 'alice@example.org',
      enabled: false,
      user_status: 'CONFIRMED',
      last_event_at: '2026-11-26T10:05:00.000Z',
      last_event_id: 'e-2',
    });
    expect(riding.row).toStrictEqual({ ...alone.row, last_seen_at: '2026-11-26T10:00:00.000Z' });
    expect([alone.shape.key, riding.shape.key]).toEqual(['UserUpdated', 'UserUpdated+seen']);
    expect(riding.shape.carriesSeenAt).toBe(true);
  });

  it('builds a sign-up row like an update row', () => {
    // Act
    const { row } = columns.toRow({
      event: { type: DETAIL_TYPES.signedUp, detail: signedUpDetail() },
    });

    // Assess
    expect(row).toMatchObject({ enabled: true, user_status: 'CONFIRMED', username: 'alice' });
    expect(row).not.toHaveProperty('last_seen_at');
  });

  it('builds the tombstone of a deletion: every mapped column NULL but the key, clock and deleted_at', () => {
    // Act
    const { shape, row } = columns.toRow({
      event: { type: DETAIL_TYPES.deleted, detail: deletedDetail({ sub: 'u-1', eventId: 'e-3' }) },
    });

    // Assess
    expect(row).toStrictEqual({
      id: 'u-1',
      username: null,
      email: null,
      enabled: null,
      user_status: null,
      last_seen_at: null,
      last_event_at: '2026-11-26T10:31:45.002Z',
      last_event_id: 'e-3',
      deleted_at: '2026-11-26T10:31:45.002Z',
    });
    expect(shape.carriesSeenAt).toBe(false);
  });

  it('throws for an event field the event does not have', () => {
    // Act
    const act = () => compileColumnMap({ ...DEFAULT_COLUMN_MAP, nickname: 'nickname' });

    // Assess
    expect(act).toThrow(/unknown event field "nickname"/);
  });
});
