import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dedupeByUser } from '../../../services/user-sync/dedupeByUser.js';
import type { ValidSyncRecord } from '../../../services/user-sync/parseSyncRecord.js';
import { userDetail } from '../../fixtures/sqs/sqsFactories.js';

const record = (
  messageId: string,
  sub: string,
  authenticatedAt: string,
  eventId: string,
): ValidSyncRecord => ({
  ok: true,
  messageId,
  detail: userDetail({ sub, authenticatedAt, eventId }),
});

const records = [
  record('m-1', 'a', '2026-11-26T10:00:00.000Z', 'e-1'),
  record('m-2', 'b', '2026-11-26T10:00:00.000Z', 'e-2'),
  record('m-3', 'a', '2026-11-26T10:00:05.000Z', 'e-3'),
  record('m-4', 'a', '2026-11-26T10:00:05.000Z', 'e-4'),
  record('m-5', 'a', '2026-11-26T10:00:05.000Z', 'e-4'),
];

describe('Function: dedupeByUser', () => {
  it('keeps the newest event of each user and lists every record it stands for', () => {
    // Act
    const groups = dedupeByUser(records);

    // Assess
    expect(
      groups.map((group) => [group.representative.messageId, [...group.messageIds].sort()]),
    ).toEqual([
      ['m-4', ['m-1', 'm-3', 'm-4', 'm-5']],
      ['m-2', ['m-2']],
    ]);
  });

  it('picks the same representatives whatever the order of the records', () => {
    // Act + Assess
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (shuffled) => {
        const picked = dedupeByUser(shuffled)
          .map((group) => group.representative.messageId)
          .sort();
        expect(picked).toEqual(['m-2', 'm-4']);
      }),
    );
  });

  it('returns the users sorted by sub, whatever the order of the records, so batches lock rows in one order', () => {
    // Prepare
    const mixed = [
      record('m-9', 'zed', '2026-11-26T10:00:00.000Z', 'e-9'),
      record('m-8', 'Bob', '2026-11-26T10:00:00.000Z', 'e-8'),
      record('m-7', 'amy', '2026-11-26T10:00:00.000Z', 'e-7'),
      record('m-6', 'bob', '2026-11-26T10:00:00.000Z', 'e-6'),
    ];

    // Act
    const subs = dedupeByUser(mixed).map((group) => group.representative.detail.sub);

    // Assess
    expect(subs).toEqual(['Bob', 'amy', 'bob', 'zed']);
  });
});
