import { describe, expect, it } from '@jest/globals';
import {
  buildLoginEventDetail,
  loginEventId,
} from '../../../services/post-authentication/loginEventDetail.js';
import { isInvalidEventError } from '../../../shared/errors.js';
import { UserAuthenticatedV1Schema } from '../../../shared/events/userAuthenticated.js';
import {
  postAuthenticationEvent,
  SECRET_VALUES,
} from '../../helpers/postAuthenticationFixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OPTIONS = {
  publishedAttributes: ['email'],
  authenticatedAtMs: Date.UTC(2026, 10, 26, 12, 30, 15, 42),
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
};

describe('Function: loginEventId', () => {
  it('derives the same UUID-shaped id from the same pool, sub and request id', () => {
    // Prepare
    const args = ['eu-west-1_Ab12Cd34E', 'sub-1', 'request-1'] as const;

    // Act
    const ids = [loginEventId(...args), loginEventId(...args)];

    // Assess
    expect(ids[0]).toMatch(UUID);
    expect(ids[0]?.[14]).toBe('8');
    expect(ids[1]).toBe(ids[0]);
  });

  it('derives different ids for another request, user or pool', () => {
    // Prepare
    const base = loginEventId('eu-west-1_Ab12Cd34E', 'sub-1', 'request-1');

    // Act
    const others = [
      loginEventId('eu-west-1_Ab12Cd34E', 'sub-1', 'request-2'),
      loginEventId('eu-west-1_Ab12Cd34E', 'sub-2', 'request-1'),
      loginEventId('eu-west-1_Zz99Yy88X', 'sub-1', 'request-1'),
    ];

    // Assess
    expect(new Set([base, ...others]).size).toBe(4);
  });

  it('falls back to a random UUID when there is no request id', () => {
    // Prepare
    const pool = 'eu-west-1_Ab12Cd34E';

    // Act
    const ids = [loginEventId(pool, 'sub-1'), loginEventId(pool, 'sub-1', '')];

    // Assess
    expect(ids[0]).toMatch(UUID);
    expect(ids[1]).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('Function: buildLoginEventDetail', () => {
  it('builds a valid UserAuthenticated v1 detail from the documented trigger event', () => {
    // Prepare
    const event = postAuthenticationEvent();

    // Act
    const detail = buildLoginEventDetail(event, OPTIONS);

    // Assess
    expect(UserAuthenticatedV1Schema.parse(detail)).toStrictEqual({
      schemaVersion: 1,
      eventId: loginEventId(
        'eu-west-1_Ab12Cd34E',
        'a1b2c3d4-5678-4e90-9abc-def012345678',
        OPTIONS.requestId,
      ),
      userPoolId: 'eu-west-1_Ab12Cd34E',
      sub: 'a1b2c3d4-5678-4e90-9abc-def012345678',
      username: 'jane.doe',
      clientId: '3n4b5urk1ft4fl3mg5e62d9ado',
      triggerSource: 'PostAuthentication_Authentication',
      authenticatedAt: '2026-11-26T12:30:15.042Z',
      attributes: { email: 'jane.doe@example.com' },
      status: 'CONFIRMED',
    });
  });

  it('accepts a payload without the optional newDeviceUsed and with clientMetadata', () => {
    // Prepare
    const event = postAuthenticationEvent();
    const { newDeviceUsed: _dropped, ...request } = event.request;
    const variant = { ...event, request: { ...request, clientMetadata: { app: 'web' } } };

    // Act
    const detail = buildLoginEventDetail(variant, OPTIONS);

    // Assess
    expect(detail.sub).toBe('a1b2c3d4-5678-4e90-9abc-def012345678');
  });

  it('throws an InvalidEventError naming the problem, without attribute values, when sub is empty', () => {
    // Prepare
    const event = postAuthenticationEvent();
    event.request.userAttributes.sub = '';

    // Act
    let thrown: unknown;
    try {
      buildLoginEventDetail(event, OPTIONS);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(isInvalidEventError(thrown)).toBe(true);
    const message = thrown instanceof Error ? thrown.message : '';
    expect(message).toContain('request.userAttributes.sub');
    for (const secret of SECRET_VALUES) expect(message).not.toContain(secret);
  });

  it('throws an InvalidEventError when an attribute value is not a string', () => {
    // Prepare
    const event = {
      ...postAuthenticationEvent(),
      request: { userAttributes: { sub: 'a-sub', email: 42 } },
    };

    // Act
    const build = (): unknown => buildLoginEventDetail(event, OPTIONS);

    // Assess
    expect(build).toThrow(/request\.userAttributes\.email/);
  });
});
