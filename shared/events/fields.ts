import * as z from 'zod/mini';

/** A Cognito user pool id: `<region>_<id>`, e.g. `eu-west-1_AbCdEf123`. */
export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;

/** A Cognito attribute name: standard (`email`), custom (`custom:tenant`) or developer (`dev:x`). */
export const COGNITO_ATTRIBUTE_NAME = /^[\w:.-]{1,64}$/;

/**
 * The field schemas every event of the contract shares, defined once so each event type states
 * only what is its own. Written with `zod/mini`: the same schemas (and the same JSON Schema
 * output) as the full `zod` export, at a fraction of its import cost on a Lambda cold start.
 */
export const fields = {
  schemaVersion: () =>
    z.literal(1).check(z.describe('Version of this contract; breaking changes bump it.')),
  eventId: (description: string) =>
    z.string().check(z.minLength(1), z.maxLength(128), z.describe(description)),
  userPoolId: () =>
    z
      .string()
      .check(
        z.regex(USER_POOL_ID_PATTERN, 'not a Cognito user pool id (region_id)'),
        z.describe('The Cognito user pool, e.g. eu-west-1_AbCdEf123.'),
      ),
  sub: () =>
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(128),
        z.describe("The user's immutable Cognito id (the `sub`)."),
      ),
  username: () =>
    z.string().check(z.minLength(1), z.maxLength(128), z.describe("The user's Cognito username.")),
  instant: (description: string) => z.iso.datetime({ precision: 3 }).check(z.describe(description)),
  // An object whose every property is a string (`z.record` says the same; this form parses in
  // about half the time, which counts at thousands of events per second).
  attributes: () =>
    z
      .catchall(z.object({}), z.string().check(z.maxLength(2048)))
      .check(
        z.describe('The allow-listed subset of Cognito user attributes (default: email only).'),
      ),
  enabled: () =>
    z.boolean().check(z.describe('Whether the user may sign in (false after AdminDisableUser).')),
  status: (description: string) =>
    z.string().check(z.minLength(1), z.maxLength(64), z.describe(description)),
  cause: () =>
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.describe(
          'What produced the event: a Cognito trigger source (PostConfirmation_ConfirmSignUp), the CloudTrail event name of the API call (AdminUpdateUserAttributes, AdminDisableUser, …), Backfill or Reconcile.',
        ),
      ),
} as const;

/** What a Cognito user status reads as in the contract (Cognito's `UserStatus`, e.g. CONFIRMED). */
export const STATUS_DESCRIPTION =
  "Cognito's UserStatus of the user: UNCONFIRMED, CONFIRMED, EXTERNAL_PROVIDER, RESET_REQUIRED, FORCE_CHANGE_PASSWORD, … (new values may appear).";
