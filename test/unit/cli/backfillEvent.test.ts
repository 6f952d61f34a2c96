import { readFileSync } from 'node:fs';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from '@jest/globals';
import {
  BACKFILL_TRIGGER_SOURCE,
  backfillEvent,
  backfillEventId,
  toPutEventsEntry,
} from '../../../cli/backfillEvent.js';
import { UserAuthenticatedV1Schema } from '../../../shared/events/userAuthenticated.js';

// A ListUsers user as the Cognito API reference documents it (dates revived as the SDK does).
const raw = JSON.parse(
  readFileSync(new URL('../../fixtures/cli/listUsersUser.json', import.meta.url), 'utf8'),
) as UserType & { UserCreateDate: string; UserLastModifiedDate: string };
const user = (): UserType => ({
  ...structuredClone(raw),
  UserCreateDate: new Date(raw.UserCreateDate),
  UserLastModifiedDate: new Date(raw.UserLastModifiedDate),
});

const context = { userPoolId: 'eu-west-1_AbCdEf123', attributes: ['email'] };

describe('Function: backfillEvent', () => {
  it('builds a valid v1 event marked Backfill, dated by UserLastModifiedDate', () => {
    // Act
    const event = backfillEvent(user(), context);

    // Assess
    expect(UserAuthenticatedV1Schema.safeParse(event).success).toBe(true);
    expect(event).toEqual({
      schemaVersion: 1,
      eventId: expect.stringMatching(/^backfill-[0-9a-f]{40}$/),
      userPoolId: 'eu-west-1_AbCdEf123',
      sub: '7d4e9b8a-1c2f-4e3a-9b5d-0a1b2c3d4e5f',
      username: 'jane.doe',
      clientId: null,
      triggerSource: BACKFILL_TRIGGER_SOURCE,
      authenticatedAt: '2026-03-05T14:30:12.345Z',
      attributes: { email: 'jane.doe@example.com' },
    });
  });

  it('publishes only allow-listed attributes', () => {
    // Act
    const event = backfillEvent(user(), { ...context, attributes: ['email', 'custom:tenant'] });

    // Assess
    expect(Object.keys(event?.attributes ?? {})).toEqual(['email']);
    expect(JSON.stringify(event)).not.toContain('+15555550100');
  });

  it('gives the same event id for the same user and date, another for a newer date', () => {
    // Prepare
    const newer = { ...user(), UserLastModifiedDate: new Date('2026-04-01T00:00:00.000Z') };

    // Act
    const first = backfillEvent(user(), context);
    const again = backfillEvent(user(), context);
    const later = backfillEvent(newer, context);

    // Assess
    expect(again?.eventId).toBe(first?.eventId);
    expect(later?.eventId).not.toBe(first?.eventId);
    expect(first?.eventId).toBe(
      backfillEventId(context.userPoolId, first?.sub ?? '', '2026-03-05T14:30:12.345Z'),
    );
  });

  it('falls back to UserCreateDate when the user was never modified', () => {
    // Prepare
    const { UserLastModifiedDate: _, ...created } = user();

    // Act
    const event = backfillEvent(created, context);

    // Assess
    expect(event?.authenticatedAt).toBe('2026-01-10T08:00:00.000Z');
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
    const entry = toPutEventsEntry(event, { eventBusName: 'bus', source: 'src' });

    // Assess
    expect(entry).toEqual({
      EventBusName: 'bus',
      Source: 'src',
      DetailType: 'UserAuthenticated',
      Detail: JSON.stringify(event),
    });
  });
});
