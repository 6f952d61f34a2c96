import * as z from 'zod/mini';
import { pipeline } from '../pipeline.js';
import { fields, STATUS_DESCRIPTION } from './fields.js';
import { envelopeFields } from './userAuthenticated.js';

/**
 * The lifecycle events, schema version 1 each, under the same rules as `UserAuthenticated`: zod
 * is the source of truth, each has a committed JSON Schema (`npm run schema`), additive optional
 * fields keep version 1, consumers ignore unknown fields.
 *
 * Every lifecycle event carries the user's state **as of `occurredAt`** (for a state read back
 * from Cognito, the time it was read), not a change: applying the newest one is enough. Across
 * all types, logins included, one order holds per user: `(occurredAt, eventId)` (a login's
 * `occurredAt` is its `authenticatedAt`); newest wins. A `UserDeleted` is final: Cognito never
 * reuses a `sub`, so no event of any date brings a deleted user back.
 */
const stateFields = {
  schemaVersion: fields.schemaVersion(),
  userPoolId: fields.userPoolId(),
  sub: fields.sub(),
  occurredAt: fields.instant(
    'When this state held: the time it was read from Cognito or the trigger fired (ISO-8601 UTC, ms).',
  ),
  cause: fields.cause(),
} as const;

/** `UserSignedUp` v1: a user confirmed their sign-up (Cognito `PostConfirmation_ConfirmSignUp`). */
export const UserSignedUpV1Schema = z
  .object({
    ...stateFields,
    eventId: fields.eventId(
      'Unique per sign-up: every copy sent by one trigger invocation (SDK retry, fallback) keeps it.',
    ),
    username: fields.username(),
    clientId: z
      .nullable(z.string().check(z.minLength(1), z.maxLength(128)))
      .check(z.describe('The app client the user signed up through; null when not known.')),
    attributes: fields.attributes(),
    enabled: fields.enabled(),
    status: fields.status(STATUS_DESCRIPTION),
  })
  .check(z.describe('UserSignedUp v1: a new Cognito user confirmed their account.'));

/**
 * `UserUpdated` v1: the user's current state, after a profile change, a disable or enable, a
 * group change, or as read by backfill or reconcile. Disable and enable are `enabled` here
 * (subscribers that want only them filter on `detail.enabled` or `detail.cause`).
 */
export const UserUpdatedV1Schema = z
  .object({
    ...stateFields,
    eventId: fields.eventId('Unique per published state.'),
    username: fields.username(),
    attributes: fields.attributes(),
    enabled: fields.enabled(),
    status: fields.status(STATUS_DESCRIPTION),
  })
  .check(z.describe("UserUpdated v1: a Cognito user's state as of occurredAt."));

/** `UserDeleted` v1: the user no longer exists in Cognito. Final. */
export const UserDeletedV1Schema = z
  .object({
    ...stateFields,
    eventId: fields.eventId('Unique per published deletion.'),
    username: z
      .nullable(fields.username())
      .check(z.describe('The Cognito username, when it was known (CloudTrail may hide it).')),
  })
  .check(z.describe('UserDeleted v1: the Cognito user was deleted; no later event revives it.'));

/** The `Detail` of a `UserSignedUp` v1 event. */
export type UserSignedUpV1 = z.infer<typeof UserSignedUpV1Schema>;
/** The `Detail` of a `UserUpdated` v1 event. */
export type UserUpdatedV1 = z.infer<typeof UserUpdatedV1Schema>;
/** The `Detail` of a `UserDeleted` v1 event. */
export type UserDeletedV1 = z.infer<typeof UserDeletedV1Schema>;

/** EventBridge envelopes of the lifecycle events, as a rule target receives them. */
export const UserSignedUpEventSchema = z.object({
  ...envelopeFields,
  'detail-type': z.literal(pipeline.detailTypes.signedUp),
  detail: UserSignedUpV1Schema,
});
/** See {@link UserSignedUpEventSchema}. */
export const UserUpdatedEventSchema = z.object({
  ...envelopeFields,
  'detail-type': z.literal(pipeline.detailTypes.updated),
  detail: UserUpdatedV1Schema,
});
/** See {@link UserSignedUpEventSchema}. */
export const UserDeletedEventSchema = z.object({
  ...envelopeFields,
  'detail-type': z.literal(pipeline.detailTypes.deleted),
  detail: UserDeletedV1Schema,
});
