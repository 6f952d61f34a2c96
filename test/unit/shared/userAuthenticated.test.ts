import { describe, expect, it } from '@jest/globals';
import {
  toEnvelope,
  USER_AUTHENTICATED_DETAIL_TYPE,
  UserAuthenticatedEnvelopeSchema,
  UserAuthenticatedEventSchema,
  type UserAuthenticatedV1,
  UserAuthenticatedV1Schema,
} from '../../../shared/events/userAuthenticated.js';

const validDetail = (): UserAuthenticatedV1 => ({
  schemaVersion: 1,
  eventId: '3f1c2b9e-8a7d-8c4b-9e2f-1a2b3c4d5e6f',
  userPoolId: 'eu-west-1_Ab12Cd34E',
  sub: 'a1b2c3d4-5678-4e90-9abc-def012345678',
  username: 'jane.doe',
  clientId: '3n4b5urk1ft4fl3mg5e62d9ado',
  triggerSource: 'PostAuthentication_Authentication',
  authenticatedAt: '2026-11-26T12:30:15.042Z',
  attributes: { email: 'jane.doe@example.com' },
});

describe('Function: UserAuthenticatedV1Schema', () => {
  it('accepts a valid detail', () => {
    // Prepare
    const detail = validDetail();

    // Act
    const parsed = UserAuthenticatedV1Schema.parse(detail);

    // Assess
    expect(parsed).toStrictEqual(detail);
  });

  it('accepts a backfilled detail with a null clientId and no attributes', () => {
    // Prepare
    const detail = { ...validDetail(), clientId: null, triggerSource: 'Backfill', attributes: {} };

    // Act
    const result = UserAuthenticatedV1Schema.safeParse(detail);

    // Assess
    expect(result.success).toBe(true);
  });

  it('ignores unknown fields so that additive changes keep version 1', () => {
    // Prepare
    const detail = { ...validDetail(), deviceKey: 'eu-west-1_device', futureField: { a: 1 } };

    // Act
    const parsed = UserAuthenticatedV1Schema.parse(detail);

    // Assess
    expect(parsed).toStrictEqual(validDetail());
  });

  it.each([
    ['without milliseconds', '2026-11-26T12:30:15Z'],
    ['with an offset', '2026-11-26T13:30:15.042+01:00'],
    ['as a date only', '2026-11-26'],
    ['as epoch milliseconds', 1795696215042],
    ['as free text', 'yesterday'],
  ])('rejects authenticatedAt %s', (_name, authenticatedAt) => {
    // Prepare
    const detail = { ...validDetail(), authenticatedAt };

    // Act
    const result = UserAuthenticatedV1Schema.safeParse(detail);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toStrictEqual(['authenticatedAt']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['schema version 2', { schemaVersion: 2 }],
    ['an empty eventId', { eventId: '' }],
    ['a user pool id without region', { userPoolId: 'Ab12Cd34E' }],
    ['a missing sub', { sub: undefined }],
    ['an empty username', { username: '' }],
    ['a non-string attribute', { attributes: { email_verified: true } }],
    ['an attribute over 2048 characters', { attributes: { name: 'x'.repeat(2049) } }],
  ])('rejects %s', (_name, change) => {
    // Prepare
    const detail = { ...validDetail(), ...change };

    // Act
    const result = UserAuthenticatedV1Schema.safeParse(detail);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('Function: toEnvelope', () => {
  it('builds the EventBridge-shaped envelope the consumer parses', () => {
    // Prepare
    const detail = validDetail();

    // Act
    const envelope = toEnvelope(detail, { source: 'cognito-hasura-sync', region: 'eu-west-1' });

    // Assess
    expect(UserAuthenticatedEventSchema.parse(envelope)).toStrictEqual({
      version: '0',
      id: detail.eventId,
      'detail-type': USER_AUTHENTICATED_DETAIL_TYPE,
      source: 'cognito-hasura-sync',
      account: '000000000000',
      time: '2026-11-26T12:30:15Z',
      region: 'eu-west-1',
      resources: [],
      detail,
    });
  });

  it('uses the given account', () => {
    // Prepare
    const context = { source: 's', region: 'eu-west-1', account: '123456789012' };

    // Act
    const envelope = toEnvelope(validDetail(), context);

    // Assess
    expect(envelope.account).toBe('123456789012');
  });
});

describe('Function: UserAuthenticatedEnvelopeSchema', () => {
  it('accepts an event as an EventBridge rule target receives it, extra fields included', () => {
    // Prepare
    const event = {
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': 'UserAuthenticated',
      source: 'cognito-hasura-sync',
      account: '123456789012',
      time: '2026-11-26T12:30:15Z',
      region: 'eu-west-1',
      resources: [],
      'replay-name': 'replay-1',
      detail: validDetail(),
    };

    // Act
    const result = UserAuthenticatedEnvelopeSchema.safeParse(event);

    // Assess
    expect(result.success).toBe(true);
  });

  it('checks only the detail type, the source and the detail, and returns only those', () => {
    // Prepare
    const event = {
      'detail-type': 'UserAuthenticated',
      id: '',
      source: 'cognito-hasura-sync',
      detail: validDetail(),
    };

    // Act
    const result = UserAuthenticatedEnvelopeSchema.safeParse(event);

    // Assess
    expect(result.success && Object.keys(result.data)).toEqual(['detail-type', 'source', 'detail']);
  });

  it('rejects another detail type', () => {
    // Prepare
    const envelope = {
      ...toEnvelope(validDetail(), { source: 's', region: 'r' }),
      'detail-type': 'UserDeleted',
    };

    // Act
    const result = UserAuthenticatedEnvelopeSchema.safeParse(envelope);

    // Assess
    expect(result.success).toBe(false);
  });
});
