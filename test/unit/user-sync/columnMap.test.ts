import { describe, expect, it } from '@jest/globals';
import { compileColumnMap, DEFAULT_COLUMN_MAP } from '../../../services/user-sync/columnMap.js';
import { userDetail } from '../../fixtures/sqs/sqsFactories.js';

describe('Function: compileColumnMap', () => {
  it('builds the row of an event, writing null for an attribute the user lacks', () => {
    // Prepare
    const columns = compileColumnMap(DEFAULT_COLUMN_MAP);
    const detail = userDetail({
      sub: 'u-1',
      username: 'u1',
      eventId: 'e-1',
      authenticatedAt: '2026-11-26T10:00:00.000Z',
      attributes: {},
    });

    // Act
    const row = columns.toRow(detail);

    // Assess
    expect(row).toStrictEqual({
      id: 'u-1',
      username: 'u1',
      email: null,
      last_seen_at: '2026-11-26T10:00:00.000Z',
      last_event_id: 'e-1',
    });
    expect(columns.updateColumns).toEqual(['username', 'email', 'last_seen_at', 'last_event_id']);
  });

  it('throws for an event field the event does not have', () => {
    // Act
    const act = () => compileColumnMap({ ...DEFAULT_COLUMN_MAP, nickname: 'nickname' });

    // Assess
    expect(act).toThrow(/unknown event field "nickname"/);
  });
});
