import { describe, expect, it } from '@jest/globals';
import {
  MAX_FUTURE_SKEW_MS,
  parseSyncRecord,
} from '../../../services/user-sync/parseSyncRecord.js';
import { envelopeBody, userDetail } from '../../fixtures/sqs/sqsFactories.js';

describe('Function: parseSyncRecord', () => {
  const authenticatedAt = '2026-11-26T12:00:00.000Z';
  const signInMs = Date.parse(authenticatedAt);

  it('accepts an event dated within the allowed clock skew', () => {
    // Prepare
    const body = envelopeBody(userDetail({ authenticatedAt }));

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-1', body }, signInMs - MAX_FUTURE_SKEW_MS);

    // Assess
    expect(parsed).toMatchObject({ ok: true, messageId: 'm-1', detail: { authenticatedAt } });
  });

  it('refuses an event dated further in the future, which would pin the row', () => {
    // Prepare
    const body = envelopeBody(userDetail({ authenticatedAt }));

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-2', body }, signInMs - MAX_FUTURE_SKEW_MS - 1);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-2',
      reason: expect.stringMatching(/authenticatedAt lies more than 5 min in the future/),
    });
  });

  it('names the invalid fields of a body that is not a v1 event', () => {
    // Prepare
    const body = envelopeBody({ ...userDetail(), schemaVersion: 2 } as never);

    // Act
    const parsed = parseSyncRecord({ messageId: 'm-3', body });

    // Assess
    expect(parsed).toEqual({
      ok: false,
      messageId: 'm-3',
      reason: expect.stringMatching(/^not a UserAuthenticated v1 event: detail\.schemaVersion/),
    });
  });
});
