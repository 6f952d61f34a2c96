import { describe, expect, it } from '@jest/globals';
import { inClear, parseCloudTrailHint } from '../../../services/user-lifecycle/cloudTrailHint.js';
import { pipeline } from '../../../shared/pipeline.js';
import { cloudTrailEvent, FIXTURE_POOL_ID, FIXTURE_SUB } from '../../helpers/cloudTrailFixtures.js';

const POOLS = new Set([FIXTURE_POOL_ID]);
const parse = (event: unknown) => parseCloudTrailHint(JSON.stringify(event), POOLS);

describe('Function: parseCloudTrailHint', () => {
  it.each(pipeline.lifecycle.eventNames.map((name) => [name]))(
    'reads the %s fixture, username hidden, as a hint about the sub',
    (name) => {
      // Act
      const parsed = parse(cloudTrailEvent(name));

      // Assess
      expect(parsed).toStrictEqual({
        kind: 'hint',
        hint: {
          eventName: name,
          eventTimeMs: Date.parse(cloudTrailEvent(name).detail.eventTime),
          userPoolId: FIXTURE_POOL_ID,
          user: { by: 'sub', sub: FIXTURE_SUB, username: null },
        },
      });
    },
  );

  it('ignores a failed call (errorCode present)', () => {
    // Act & Assess
    expect(parse(cloudTrailEvent('failedCall'))).toStrictEqual({
      kind: 'ignored',
      reason: 'failed-call',
    });
  });

  it('ignores a call on another pool', () => {
    // Act & Assess
    expect(parse(cloudTrailEvent('otherPool'))).toStrictEqual({
      kind: 'ignored',
      reason: 'other-pool',
    });
  });

  it('ignores an event name it does not act on (a read such as ListUsers)', () => {
    // Prepare
    const event = cloudTrailEvent('AdminDisableUser');
    event.detail.eventName = 'ListUsers';

    // Act & Assess
    expect(parse(event)).toStrictEqual({ kind: 'ignored', reason: 'unknown-event-name' });
  });

  it('ignores an event of another source or detail type', () => {
    // Prepare
    const event = cloudTrailEvent('AdminDisableUser');
    event.source = 'aws.s3';

    // Act & Assess
    expect(parse(event)).toStrictEqual({ kind: 'ignored', reason: 'not-cognito-api-call' });
  });

  it('falls back to the username when the sub is absent and the username is in clear', () => {
    // Prepare
    const event = cloudTrailEvent('AdminEnableUser');
    delete event.detail.additionalEventData;
    event.detail.requestParameters.username = 'jane.doe';

    // Act
    const parsed = parse(event);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'hint',
      hint: { user: { by: 'username', username: 'jane.doe' } },
    });
  });

  it.each(['HIDDEN_DUE_TO_SECURITY_REASONS', 'HIDDEN_FOR_SECURITY_REASONS'])(
    'finds no user when the sub is %s too and the username is hidden',
    (marker) => {
      // Prepare
      const event = cloudTrailEvent('AdminDeleteUser');
      event.detail.additionalEventData = { sub: marker };
      event.detail.requestParameters.username = marker;

      // Act
      const parsed = parse(event);

      // Assess
      expect(parsed).toStrictEqual({
        kind: 'invalid',
        reason: expect.stringContaining('cannot be identified'),
      });
    },
  );

  it.each([
    ['a body that is not JSON', '{"detail":', 'not JSON'],
    ['a JSON array', '[]', 'not a CloudTrail event'],
    [
      'an event without detail',
      JSON.stringify({ source: 'aws.cognito-idp' }),
      'not a CloudTrail event',
    ],
  ])('calls %s invalid, with the reason', (_label, body, reason) => {
    // Act
    const parsed = parseCloudTrailHint(body, POOLS);

    // Assess
    expect(parsed).toStrictEqual({ kind: 'invalid', reason: expect.stringContaining(reason) });
  });

  it('calls an event without a usable eventTime or pool id invalid', () => {
    // Prepare
    const noTime = cloudTrailEvent('AdminDisableUser');
    noTime.detail.eventTime = 'yesterday';
    const noPool = cloudTrailEvent('AdminDisableUser');
    noPool.detail.requestParameters.userPoolId = 'HIDDEN_DUE_TO_SECURITY_REASONS';

    // Act & Assess
    expect(parse(noTime)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('eventTime'),
    });
    expect(parse(noPool)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('userPoolId'),
    });
  });

  it('refuses a sub that could break out of the ListUsers filter', () => {
    // Prepare
    const event = cloudTrailEvent('AdminDisableUser');
    event.detail.additionalEventData = { sub: 'x" or username ^= "' };

    // Act & Assess
    expect(parse(event)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('sub') });
  });
});

describe('Function: inClear', () => {
  it.each([
    ['jane.doe', 'jane.doe'],
    ['HIDDEN_DUE_TO_SECURITY_REASONS', undefined],
    ['HIDDEN_FOR_SECURITY_REASONS', undefined],
    ['', undefined],
    [42, undefined],
  ])('reads %p as %p', (value, expected) => {
    // Act & Assess
    expect(inClear(value)).toBe(expected);
  });
});
