import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dedupeByUser } from '../../../services/user-sync/dedupeByUser.js';
import type { ValidSyncRecord } from '../../../services/user-sync/parseSyncRecord.js';
import { DETAIL_TYPES } from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  signedUpDetail,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';

const record = (
  messageId: string,
  sub: string,
  authenticatedAt: string,
  eventId: string,
): ValidSyncRecord => ({
  ok: true,
  messageId,
  event: {
    type: DETAIL_TYPES.authenticated,
    detail: userDetail({ sub, authenticatedAt, eventId }),
  },
});

/** A record of a lifecycle event of `sub` at `occurredAt`. */
const lifecycle =
  (type: typeof DETAIL_TYPES.updated | typeof DETAIL_TYPES.deleted) =>
  (messageId: string, sub: string, occurredAt: string, eventId: string): ValidSyncRecord => ({
    ok: true,
    messageId,
    event:
      type === DETAIL_TYPES.updated
        ? { type, detail: updatedDetail({ sub, occurredAt, eventId }) }
        : { type, detail: deletedDetail({ sub, occurredAt, eventId }) },
  });
const update = lifecycle(DETAIL_TYPES.updated);
const deletion = lifecycle(DETAIL_TYPES.deleted);

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
    const subs = dedupeByUser(mixed).map((group) => group.representative.event.detail.sub);

    // Assess
    expect(subs).toEqual(['Bob', 'amy', 'bob', 'zed']);
  });

  it('lets the newest login ride along with a newer state event, for last_seen_at', () => {
    // Prepare
    const batch = [
      record('m-1', 'a', '2026-11-26T10:00:01.000Z', 'e-1'),
      record('m-2', 'a', '2026-11-26T10:00:03.000Z', 'e-2'),
      update('m-3', 'a', '2026-11-26T10:00:05.000Z', 'e-3'),
      {
        ok: true as const,
        messageId: 'm-4',
        event: {
          type: DETAIL_TYPES.signedUp,
          detail: signedUpDetail({
            sub: 'a',
            occurredAt: '2026-11-26T10:00:00.000Z',
            eventId: 'e-0',
          }),
        },
      },
    ];

    // Act
    const [group] = dedupeByUser(batch);

    // Assess
    expect(group?.representative.messageId).toBe('m-3');
    expect(group?.write.seen?.eventId).toBe('e-2');
    expect(group?.messageIds).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
  });

  it('writes a login alone when it is the newest event', () => {
    // Act
    const [group] = dedupeByUser([
      update('m-1', 'a', '2026-11-26T10:00:01.000Z', 'e-1'),
      record('m-2', 'a', '2026-11-26T10:00:03.000Z', 'e-2'),
    ]);

    // Assess
    expect(group?.write).toEqual({ event: group?.representative.event });
    expect(group?.representative.messageId).toBe('m-2');
  });

  it('keeps the earliest deletion of a user over any other event, newer ones included, in any order', () => {
    // Prepare
    const batch = [
      record('m-1', 'a', '2026-11-26T10:00:09.000Z', 'e-9'),
      deletion('m-2', 'a', '2026-11-26T10:00:05.000Z', 'e-5'),
      deletion('m-3', 'a', '2026-11-26T10:00:04.000Z', 'e-4'),
      update('m-4', 'a', '2026-11-26T10:00:07.000Z', 'e-7'),
    ];

    // Act + Assess
    fc.assert(
      fc.property(fc.shuffledSubarray(batch, { minLength: batch.length }), (shuffled) => {
        const [group] = dedupeByUser(shuffled);
        expect(group?.representative.messageId).toBe('m-3');
        expect(group?.write).toEqual({ event: group?.representative.event });
      }),
    );
  });
});
