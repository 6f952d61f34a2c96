import { randomUUID } from 'node:crypto';
import type { SyncEvent } from '../../shared/events/syncEvent.js';
import { pipeline } from '../../shared/pipeline.js';
import { pickAttributes } from '../../shared/publishing/userAttributes.js';
import type { LifecycleHint } from './cloudTrailHint.js';
import type { UserRead } from './readCognitoUser.js';

/** What one user's event is built from besides the read. */
export interface LifecycleEventOptions {
  /** Attribute names that may be published; every other attribute is dropped. */
  readonly publishedAttributes: readonly string[];
  /** When the user was read, epoch ms: the event's `occurredAt`. */
  readonly readAtMs: number;
  /**
   * The event id.
   *
   * @default randomUUID - one id per published state
   */
  readonly eventId?: string;
}

/** An event the consumer publishes: every event of the contract but a login. */
export type LifecycleSyncEvent = Exclude<
  SyncEvent,
  { readonly type: typeof pipeline.detailTypes.authenticated }
>;

/** The event a user's hints and read make, or why there is none. */
export type LifecycleEventDecision =
  | { readonly kind: 'publish'; readonly event: LifecycleSyncEvent }
  | { readonly kind: 'none'; readonly reason: NoEventReason };

/** Why a user's hints publish nothing. */
export type NoEventReason = 'deleted-user-without-sub' | 'user-not-found-unconfirmed';

/** The calls that delete a user: CloudTrail's word that the sub is gone for good. */
const DELETIONS: ReadonlySet<string> = new Set(['AdminDeleteUser', 'DeleteUser']);

/**
 * The event to publish for one user of a batch, from the user's hints (one or more CloudTrail
 * events, oldest to newest in any order) and one read of the user in Cognito:
 * - the user exists and one of the hints is `AdminCreateUser`: `UserSignedUp` (cause
 *   `AdminCreateUser`, `clientId` null): no trigger fires for an administrator-created user, so
 *   this is the only place its sign-up becomes an event;
 * - the user exists: `UserUpdated`, its whole state as read, cause the newest hint's event name;
 * - the user does not exist: `UserDeleted` (cause the newest hint's event name), when the sub is
 *   known and the absence is certain: AdminGetUser confirmed it, or a hint is the successful
 *   deletion itself (Cognito never reuses a sub). A deletion is final, so an absence seen only
 *   by ListUsers (eventually consistent) after another call publishes nothing: the deletion's
 *   own hint tombstones the user, `reconcile` repairs the rest. A user known only by username
 *   whose read finds nothing has no sub to tombstone.
 * `occurredAt` is the time of the read, not the CloudTrail `eventTime`: the state is as read.
 *
 * @example
 * const decision = lifecycleEventOf(hints, read, { publishedAttributes: ['email'], readAtMs: Date.now() });
 */
export const lifecycleEventOf = (
  hints: readonly LifecycleHint[],
  read: UserRead,
  options: LifecycleEventOptions,
): LifecycleEventDecision => {
  const newest = hints.reduce((a, b) => (b.eventTimeMs > a.eventTimeMs ? b : a));
  const common = {
    schemaVersion: 1 as const,
    eventId: options.eventId ?? randomUUID(),
    userPoolId: newest.userPoolId,
    occurredAt: new Date(options.readAtMs).toISOString(),
  };
  if (!read.found) {
    if (newest.user.by !== 'sub') return { kind: 'none', reason: 'deleted-user-without-sub' };
    const certain = read.confirmed || hints.some((hint) => DELETIONS.has(hint.eventName));
    if (!certain) return { kind: 'none', reason: 'user-not-found-unconfirmed' };
    return {
      kind: 'publish',
      event: {
        type: pipeline.detailTypes.deleted,
        detail: {
          ...common,
          sub: newest.user.sub,
          cause: newest.eventName,
          username: newest.user.username,
        },
      },
    };
  }
  const { user } = read;
  const state = {
    ...common,
    sub: user.sub,
    username: user.username,
    attributes: pickAttributes(user.attributes, options.publishedAttributes),
    enabled: user.enabled,
    status: user.status,
  };
  if (hints.some((hint) => hint.eventName === 'AdminCreateUser')) {
    return {
      kind: 'publish',
      event: {
        type: pipeline.detailTypes.signedUp,
        detail: { ...state, cause: 'AdminCreateUser', clientId: null },
      },
    };
  }
  return {
    kind: 'publish',
    event: { type: pipeline.detailTypes.updated, detail: { ...state, cause: newest.eventName } },
  };
};
