import { describe, expect, it } from '@jest/globals';
import {
  parseSyncRecord,
  type SyncRecordAcceptance,
} from '../../../services/user-sync/parseSyncRecord.js';
import { DETAIL_TYPES, type SyncEvent } from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  envelopeBody,
  rawEnvelopeFixture,
  signedUpDetail,
  syncEventBody,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';

describe('Function: parseSyncRecord', () => {
  const authenticatedAt = '2026-11-26T12:00:00.000Z';
  const signInMs = Date.parse(authenticatedAt);
  const accept: SyncRecordAcceptance = {
    eventSource: String(rawEnvelopeFixture().source),
    userPoolIds: [userDetail().userPoolId],
    maxClockSkewMs: 2000,
  };

  it('accepts an event of the configured source and pool dated within the clock skew', () => {
    // Prepare
    const body = envelopeBody(userDetail({ authenticatedAt }));

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-1', body }, accept, signInMs - 2000);

    // Assess
    expect(parsed).toMatchObject({
      ok: true,
      messageId: 'm-1',
      event: { type: 'UserAuthenticated', detail: { authenticatedAt } },
    });
  });

  it('refuses an event dated further ahead than the clock skew, which would pin the row', () => {
    // Prepare
    const body = envelopeBody(userDetail({ authenticatedAt }));

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-2', body }, accept, signInMs - 2001);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-2',
      reason: expect.stringMatching(
        /^UserAuthenticated: detail\.authenticatedAt lies 2001 ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS \(2000 ms\)/,
      ),
    });
  });

  it('refuses an event of another source, naming it', () => {
    // Prepare
    const body = JSON.stringify({ ...JSON.parse(envelopeBody(userDetail())), source: 'forged' });

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-3', body }, accept, signInMs);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-3',
      reason: expect.stringMatching(/source "forged" is not the configured EVENT_SOURCE/),
    });
  });

  it('refuses an event of a pool not listed in USER_POOL_IDS', () => {
    // Prepare
    const body = envelopeBody(userDetail({ userPoolId: 'eu-west-1_OtherPool9' }));

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-4', body }, accept, signInMs);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-4',
      reason: expect.stringMatching(/"eu-west-1_OtherPool9" is not listed in USER_POOL_IDS/),
    });
  });

  it('names the invalid fields of a body that is not a v1 event', () => {
    // Prepare
    const body = envelopeBody({ ...userDetail(), schemaVersion: 2 } as never);

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-5', body }, accept);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-5',
      reason: expect.stringMatching(/^not a UserAuthenticated v1 event: detail\.schemaVersion/),
    });
  });

  const lifecycle: SyncEvent[] = [
    { type: DETAIL_TYPES.signedUp, detail: signedUpDetail() },
    { type: DETAIL_TYPES.updated, detail: updatedDetail() },
    { type: DETAIL_TYPES.deleted, detail: deletedDetail() },
  ];

  it.each(lifecycle.map((event) => [event.type, event] as const))(
    'accepts a %s event and tags it with its type',
    (_type, event) => {
      // Act
      const parsed = parseSyncRecord(
        { messageId: 'm-6', body: syncEventBody(event) },
        accept,
        signInMs,
      );

      // Assess
      expect(parsed).toEqual({ ok: true, messageId: 'm-6', event });
    },
  );

  it.each(lifecycle.map((event) => [event.type, event] as const))(
    'applies the trust checks to a %s event too, naming its type',
    (type, event) => {
      // Prepare
      const occurredAt = new Date(signInMs + 10_000).toISOString();
      const envelope = JSON.parse(syncEventBody(event)) as Record<string, unknown>;
      const detail = envelope.detail as Record<string, unknown>;
      const bodies = [
        JSON.stringify({ ...envelope, source: 'forged' }),
        JSON.stringify({ ...envelope, detail: { ...detail, userPoolId: 'eu-west-1_OtherPool9' } }),
        JSON.stringify({ ...envelope, detail: { ...detail, occurredAt } }),
      ];

      // Act
      const reasons = bodies.map((body) => {
        const parsed = parseSyncRecord({ messageId: 'm-7', body }, accept, signInMs);
        return parsed.ok ? 'accepted' : parsed.reason;
      });

      // Assess
      expect(reasons).toEqual([
        `${type}: source "forged" is not the configured EVENT_SOURCE "${accept.eventSource}"`,
        `${type}: detail.userPoolId "eu-west-1_OtherPool9" is not listed in USER_POOL_IDS`,
        `${type}: detail.occurredAt lies 10000 ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS (2000 ms)`,
      ]);
    },
  );

  it('names the type and the invalid fields of a malformed lifecycle event', () => {
    // Prepare
    const { occurredAt: _occurredAt, ...withoutTime } = updatedDetail();
    const body = JSON.stringify({
      ...JSON.parse(syncEventBody({ type: DETAIL_TYPES.updated, detail: updatedDetail() })),
      detail: { ...withoutTime, enabled: 'no' },
    });

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-8', body }, accept, signInMs);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-8',
      reason: expect.stringMatching(
        /^not a UserUpdated v1 event: detail\.occurredAt: .*; detail\.enabled: /,
      ),
    });
  });

  it('refuses an unknown detail type, naming it and the known ones', () => {
    // Prepare
    const body = JSON.stringify({ ...rawEnvelopeFixture(), 'detail-type': 'UserMerged' });

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-9', body }, accept, signInMs);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-9',
      reason:
        'not an event of the contract: detail-type "UserMerged" is not one of UserAuthenticated, UserSignedUp, UserUpdated, UserDeleted',
    });
  });
});
