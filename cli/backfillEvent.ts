import { createHash } from 'node:crypto';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { SyncEvent } from '../shared/events/syncEvent.js';
import { type UserUpdatedV1, UserUpdatedV1Schema } from '../shared/events/userLifecycle.js';

/** The `cause` that marks a state event as published by `backfill`. */
export const BACKFILL_CAUSE = 'Backfill';

/**
 * Cognito's `UserStatus` when `ListUsers` leaves it out (Cognito documents `UNKNOWN` among its
 * values; the contract requires a status).
 */
export const UNKNOWN_STATUS = 'UNKNOWN';

/** What {@link backfillEvent} needs besides the user. */
export interface BackfillEventContext {
  readonly userPoolId: string;
  /** Allow-listed attribute names (the trigger's `PUBLISHED_ATTRIBUTES`). */
  readonly attributes: readonly string[];
  /** When the `ListUsers` page holding the user was read: the event's `occurredAt`. */
  readonly readAt: Date;
}

/**
 * The deterministic event id of a backfilled state: the same user read at the same instant
 * always gives the same id, so a page published twice (a retry, a resume) carries the same ids.
 */
export const backfillEventId = (userPoolId: string, sub: string, at: string): string =>
  `backfill-${createHash('sha256').update(`${userPoolId}|${sub}|${at}`).digest('hex').slice(0, 40)}`;

/**
 * The `UserUpdated` v1 detail (`cause: "Backfill"`) for a user listed by `ListUsers`: the
 * user's state (username, allow-listed attributes, `Enabled`, `UserStatus`) as of the read, so
 * `occurredAt` is the time of the read. A backfill never publishes a login that did not happen:
 * `last_seen_at` downstream moves only with real sign-ins.
 *
 * @returns `undefined` when the user has no `sub` attribute or no username (nothing to sync).
 */
export const backfillEvent = (
  user: UserType,
  context: BackfillEventContext,
): UserUpdatedV1 | undefined => {
  const values = new Map((user.Attributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
  const sub = values.get('sub');
  if (!sub || !user.Username) return undefined;
  const occurredAt = context.readAt.toISOString();
  const attributes: Record<string, string> = {};
  for (const name of context.attributes) {
    const value = values.get(name);
    if (value !== undefined) attributes[name] = value;
  }
  // Parsing proves the event meets the contract before it is published.
  return UserUpdatedV1Schema.parse({
    schemaVersion: 1,
    eventId: backfillEventId(context.userPoolId, sub, occurredAt),
    userPoolId: context.userPoolId,
    sub,
    occurredAt,
    cause: BACKFILL_CAUSE,
    username: user.Username,
    attributes,
    // ListUsers always returns both; a user without them is taken as enabled, status unknown.
    enabled: user.Enabled ?? true,
    status: user.UserStatus ?? UNKNOWN_STATUS,
  });
};

/** The `PutEvents` entry carrying any event of the contract (backfill's: a `UserUpdated`). */
export const toPutEventsEntry = (
  event: SyncEvent,
  target: { eventBusName: string; source: string },
): PutEventsRequestEntry => ({
  EventBusName: target.eventBusName,
  Source: target.source,
  DetailType: event.type,
  Detail: JSON.stringify(event.detail),
});
