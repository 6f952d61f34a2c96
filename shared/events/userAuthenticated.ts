import { z } from 'zod';
import { pipeline } from '../pipeline.js';

/** A Cognito user pool id: `<region>_<id>`, e.g. `eu-west-1_AbCdEf123`. */
export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * `UserAuthenticated` schema version 1: the `Detail` of the EventBridge event published for
 * every sign-in. This zod schema is the source of truth: the TypeScript type is inferred from
 * it and `schemas/UserAuthenticated.v1.schema.json` is generated from it (`npm run schema`).
 *
 * Evolution: additive, optional fields keep version 1; a breaking change is version 2,
 * published side by side during a deprecation period. Consumers ignore unknown fields.
 */
export const UserAuthenticatedV1Schema = z
  .object({
    schemaVersion: z.literal(1).describe('Version of this contract; breaking changes bump it.'),
    eventId: z
      .string()
      .min(1)
      .max(128)
      .describe(
        'Unique per sign-in: every copy sent by one trigger invocation (SDK retry, fallback) keeps it.',
      ),
    userPoolId: z
      .string()
      .regex(USER_POOL_ID_PATTERN, 'not a Cognito user pool id (region_id)')
      .describe('The Cognito user pool, e.g. eu-west-1_AbCdEf123.'),
    sub: z.string().min(1).max(128).describe("The user's immutable Cognito id (the `sub`)."),
    username: z.string().min(1).max(128).describe("The user's Cognito username."),
    clientId: z
      .string()
      .min(1)
      .max(128)
      .nullable()
      .describe('The app client the user signed in through; null for backfilled events.'),
    triggerSource: z
      .string()
      .min(1)
      .max(64)
      .describe('Cognito trigger source, e.g. PostAuthentication_Authentication, or Backfill.'),
    authenticatedAt: z.iso
      .datetime({ precision: 3 })
      .describe('When the sign-in happened: ISO-8601 UTC with milliseconds.'),
    // An object whose every property is a string (`z.record` says the same; this form parses in
    // about half the time, which counts at thousands of events per second).
    attributes: z
      .object({})
      .catchall(z.string().max(2048))
      .describe('The allow-listed subset of Cognito user attributes (default: email only).'),
  })
  .describe('UserAuthenticated v1: one successful Cognito sign-in.');

/** The `Detail` of a `UserAuthenticated` v1 event. */
export type UserAuthenticatedV1 = z.infer<typeof UserAuthenticatedV1Schema>;

/**
 * Cognito attributes published in `attributes` when nothing else is configured
 * (`PUBLISHED_ATTRIBUTES`): email only. The trigger publishes this list and the consumer checks
 * its column map against it, so both read it from here.
 */
export const DEFAULT_PUBLISHED_ATTRIBUTES: readonly string[] = ['email'];

/** A Cognito attribute name: standard (`email`), custom (`custom:tenant`) or developer (`dev:x`). */
export const COGNITO_ATTRIBUTE_NAME = /^[\w:.-]{1,64}$/;

/** `DetailType` of the event. */
export const USER_AUTHENTICATED_DETAIL_TYPE = pipeline.detailType;

/**
 * The EventBridge event carrying a `UserAuthenticated` v1 detail, as a rule target receives
 * it (and as the post-authentication trigger's fallback sends it straight to the sync queue).
 */
export const UserAuthenticatedEventSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  'detail-type': z.literal(USER_AUTHENTICATED_DETAIL_TYPE),
  source: z.string().min(1),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: UserAuthenticatedV1Schema,
});

/** An EventBridge event carrying a `UserAuthenticated` v1 detail. */
export type UserAuthenticatedEnvelope = z.infer<typeof UserAuthenticatedEventSchema>;

/**
 * What the consumer checks of an event: its detail type, its source (which the consumer compares
 * with the configured one) and its detail, nothing else. The envelope's other fields are
 * EventBridge's, the consumer does not read them, and like any unknown field they are ignored
 * (and left out of the result).
 */
export const UserAuthenticatedEnvelopeSchema = UserAuthenticatedEventSchema.pick({
  'detail-type': true,
  source: true,
  detail: true,
});

/**
 * Builds the EventBridge-shaped envelope the trigger's fallback sends to the sync queue, the
 * same shape a rule target receives, so the consumer has one parsing path.
 */
export const toEnvelope = (
  detail: UserAuthenticatedV1,
  context: { source: string; region: string; account?: string },
): UserAuthenticatedEnvelope => ({
  version: '0',
  id: detail.eventId,
  'detail-type': USER_AUTHENTICATED_DETAIL_TYPE,
  source: context.source,
  account: context.account ?? '000000000000',
  time: detail.authenticatedAt.replace(/\.\d{3}Z$/, 'Z'),
  region: context.region,
  resources: [],
  detail,
});
