import { describe, expect, it } from '@jest/globals';
import {
  parseSyncRecord,
  type SyncRecordAcceptance,
} from '../../../services/user-sync/parseSyncRecord.js';
import { envelopeBody, rawEnvelopeFixture, userDetail } from '../../fixtures/sqs/sqsFactories.js';

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
    expect(parsed).toMatchObject({ ok: true, messageId: 'm-1', detail: { authenticatedAt } });
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
        /authenticatedAt lies 2001 ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS \(2000 ms\)/,
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
});
