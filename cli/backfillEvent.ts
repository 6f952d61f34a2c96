import { createHash } from 'node:crypto';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  USER_AUTHENTICATED_DETAIL_TYPE,
  type UserAuthenticatedV1,
  UserAuthenticatedV1Schema,
} from '../shared/events/userAuthenticated.js';

/** The trigger source that marks an event as published by `backfill`, not by a sign-in. */
export const BACKFILL_TRIGGER_SOURCE = 'Backfill';

/** What {@link backfillEvent} needs besides the user. */
export interface BackfillEventContext {
  readonly userPoolId: string;
  /** Allow-listed attribute names (the trigger's `PUBLISHED_ATTRIBUTES`). */
  readonly attributes: readonly string[];
}

/**
 * The deterministic event id of a backfilled user: the same user with the same last-modified
 * date always gives the same id, so running the backfill twice publishes the same events.
 */
export const backfillEventId = (userPoolId: string, sub: string, at: string): string =>
  `backfill-${createHash('sha256').update(`${userPoolId}|${sub}|${at}`).digest('hex').slice(0, 40)}`;

/**
 * The `UserAuthenticated` v1 detail for a user listed by `ListUsers`. `authenticatedAt` is the
 * user's `UserLastModifiedDate`, so a real sign-in after it (newer) still wins downstream and the
 * backfill never overwrites fresher data. `clientId` is null: no app client was involved.
 *
 * @returns `undefined` when the user has no `sub` attribute or no date (nothing to sync).
 */
export const backfillEvent = (
  user: UserType,
  context: BackfillEventContext,
): UserAuthenticatedV1 | undefined => {
  const values = new Map((user.Attributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
  const sub = values.get('sub');
  const date = user.UserLastModifiedDate ?? user.UserCreateDate;
  if (!sub || !user.Username || !date) return undefined;
  const authenticatedAt = new Date(date).toISOString();
  const attributes: Record<string, string> = {};
  for (const name of context.attributes) {
    const value = values.get(name);
    if (value !== undefined) attributes[name] = value;
  }
  // Parsing proves the event meets the contract before it is published.
  return UserAuthenticatedV1Schema.parse({
    schemaVersion: 1,
    eventId: backfillEventId(context.userPoolId, sub, authenticatedAt),
    userPoolId: context.userPoolId,
    sub,
    username: user.Username,
    clientId: null,
    triggerSource: BACKFILL_TRIGGER_SOURCE,
    authenticatedAt,
    attributes,
  });
};

/** The `PutEvents` entry carrying `detail`. */
export const toPutEventsEntry = (
  detail: UserAuthenticatedV1,
  target: { eventBusName: string; source: string },
): PutEventsRequestEntry => ({
  EventBusName: target.eventBusName,
  Source: target.source,
  DetailType: USER_AUTHENTICATED_DETAIL_TYPE,
  Detail: JSON.stringify(detail),
});
