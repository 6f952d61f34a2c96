import * as z from 'zod/mini';
import { pipeline } from '../pipeline.js';
import { fields, STATUS_DESCRIPTION } from './fields.js';

export { COGNITO_ATTRIBUTE_NAME, USER_POOL_ID_PATTERN } from './fields.js';

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
    schemaVersion: fields.schemaVersion(),
    eventId: fields.eventId(
      'Unique per sign-in: every copy sent by one trigger invocation (SDK retry, fallback) keeps it.',
    ),
    userPoolId: fields.userPoolId(),
    sub: fields.sub(),
    username: fields.username(),
    clientId: z
      .nullable(z.string().check(z.minLength(1), z.maxLength(128)))
      .check(z.describe('The app client the user signed in through; null when not known.')),
    triggerSource: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.describe('Cognito trigger source, e.g. PostAuthentication_Authentication.'),
      ),
    authenticatedAt: fields.instant('When the sign-in happened: ISO-8601 UTC with milliseconds.'),
    attributes: fields.attributes(),
    status: z.optional(
      fields.status(
        `${STATUS_DESCRIPTION} Optional (added in 1.1): the trigger's cognito:user_status when Cognito sends it.`,
      ),
    ),
  })
  .check(z.describe('UserAuthenticated v1: one successful Cognito sign-in.'));

/** The `Detail` of a `UserAuthenticated` v1 event. */
export type UserAuthenticatedV1 = z.infer<typeof UserAuthenticatedV1Schema>;

/**
 * Cognito attributes published in `attributes` when nothing else is configured
 * (`PUBLISHED_ATTRIBUTES`): email only. The trigger publishes this list and the consumer checks
 * its column map against it, so both read it from here.
 */
export const DEFAULT_PUBLISHED_ATTRIBUTES: readonly string[] = ['email'];

/** `DetailType` of the event. */
export const USER_AUTHENTICATED_DETAIL_TYPE = pipeline.detailTypes.authenticated;

/** The envelope fields EventBridge adds around a detail, as a rule target receives them. */
export const envelopeFields = {
  version: z.optional(z.string()),
  id: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
} as const;

/**
 * The EventBridge event carrying a `UserAuthenticated` v1 detail, as a rule target receives
 * it (and as the post-authentication trigger's fallback sends it straight to the sync queue).
 */
export const UserAuthenticatedEventSchema = z.object({
  ...envelopeFields,
  'detail-type': z.literal(USER_AUTHENTICATED_DETAIL_TYPE),
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
export const UserAuthenticatedEnvelopeSchema = z.pick(UserAuthenticatedEventSchema, {
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
