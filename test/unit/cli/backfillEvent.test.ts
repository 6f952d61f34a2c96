import { readFileSync } from 'node:fs';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from '@jest/globals';
import {
  BACKFILL_CAUSE,
  backfillEvent,
  backfillEventId,
  toPutEventsEntry,
  UNKNOWN_STATUS,
} from '../../../cli/backfillEvent.js';
import { UserUpdatedV1Schema } from '../../../shared/events/userLifecycle.js';

// A ListUsers user as the Cognito API reference documents it (dates revived as the SDK does).
const raw = JSON.parse(
  readFileSync(new URL('../../fixtures/cli/listUsersUser.json', import.meta.url), 'utf8'),
) as UserType & { UserCreateDate: string; UserLastModifiedDate: string };
const user = (): UserType => ({
  ...structuredClone(raw),
  UserCreateDate: new Date(raw.UserCreateDate),
  UserLastModifiedDate: new Date(raw.UserLastModifiedDate),
});

const readAt = new Date('2026-12-01T09:00:00.250Z');
const context = { userPoolId: 'eu-west-1_AbCdEf123', attributes: ['email'], readAt };

describe('Function: backfillEvent', () => {
  it('builds a valid UserUpdated v1 state marked Backfill, dated by the read, never a login', () => {
    // Act
    const event = backfillEvent(user(), context);

    // Assess
    expect(UserUpdatedV1Schema.safeParse(event).success).toBe(true);
    expect(event).toEqual({
      schemaVersion: 1,
      eventId: expect.stringMatching(/^backfill-[0-9a-f]{40}$/),
      userPoolId: 'eu-west-1_AbCdEf123',
      sub: '7d4e9b8a-1c2f-4e3a-9b5d-0a1b2c3d4e5f',
      occurredAt: '2026-12-01T09:00:00.250Z',
      cause: BACKFILL_CAUSE,
      username: 'jane.doe',
      attributes: { email: 'jane.doe@example.com' },
      enabled: true,
      status: 'CONFIRMED',
    });
    expect(event).not.toHaveProperty('authenticatedAt');
  });

  it('carries a disabled user as enabled false, and a missing status as UNKNOWN', () => {
    // Prepare
    const { UserStatus: _status, ...withoutStatus } = user();

    // Act
    const event = backfillEvent({ ...withoutStatus, Enabled: false }, context);

    // Assess
    expect(event).toMatchObject({ enabled: false, status: UNKNOWN_STATUS });
  });

  it('publishes only allow-listed attributes', () => {
    // Act
    const event = backfillEvent(user(), { ...context, attributes: ['email', 'custom:tenant'] });

    // Assess
    expect(Object.keys(event?.attributes ?? {})).toEqual(['email']);
    expect(JSON.stringify(event)).not.toContain('+15555550100');
  });

  it('gives the same event id for the same user and read, another for a later read', () => {
    // Act
    const first = backfillEvent(user(), context);
    const again = backfillEvent(user(), context);
    const later = backfillEvent(user(), {
      ...context,
      readAt: new Date('2026-12-02T00:00:00.000Z'),
    });

    // Assess
    expect(again?.eventId).toBe(first?.eventId);
    expect(later?.eventId).not.toBe(first?.eventId);
    expect(first?.eventId).toBe(
      backfillEventId(context.userPoolId, first?.sub ?? '', '2026-12-01T09:00:00.250Z'),
    );
  });

  it('skips a user without a sub attribute', () => {
    // Prepare
    const noSub = { ...user(), Attributes: [{ Name: 'email', Value: 'x@example.com' }] };

    // Act & Assess
    expect(backfillEvent(noSub, context)).toBeUndefined();
  });
});

describe('Function: toPutEventsEntry', () => {
  it('addresses the bus with the contract detail type', () => {
    // Prepare
    const event = backfillEvent(user(), context);
    if (!event) throw new Error('fixture must give an event');

    // Act
    const entry = toPutEventsEntry(
      { type: 'UserUpdated', detail: event },
      { eventBusName: 'bus', source: 'src' },
    );

    // Assess
    expect(entry).toEqual({
      EventBusName: 'bus',
      Source: 'src',
      DetailType: 'UserUpdated',
      Detail: JSON.stringify(event),
    });
  });
});
