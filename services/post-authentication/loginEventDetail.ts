import type * as z from 'zod/mini';
import { InvalidEventError } from '../../shared/errors.js';
import {
  type UserAuthenticatedV1,
  UserAuthenticatedV1Schema,
} from '../../shared/events/userAuthenticated.js';
import { cognitoTriggerEventSchema } from '../../shared/publishing/cognitoTriggerEvent.js';
import { invocationEventId } from '../../shared/publishing/invocationEventId.js';
import { describeIssues, pickAttributes } from '../../shared/publishing/userAttributes.js';

/**
 * The Cognito post-authentication trigger event, as far as this service relies on it: a usable
 * event has a username and a `sub` attribute.
 */
export const PostAuthenticationEventSchema = cognitoTriggerEventSchema([
  'PostAuthentication_Authentication',
]);

/** A parsed post-authentication trigger event. */
export type PostAuthenticationEvent = z.infer<typeof PostAuthenticationEventSchema>;

/** What the detail is built from besides the trigger event. */
export interface LoginEventDetailOptions {
  /** Attribute names that may be published; every other attribute is dropped. */
  readonly publishedAttributes: readonly string[];
  /** When the sign-in happened, epoch milliseconds. */
  readonly authenticatedAtMs: number;
  /**
   * The Lambda request id of this invocation (`context.awsRequestId`).
   *
   * @default undefined - the event id is random (invocations without a Lambda context)
   */
  readonly requestId?: string | undefined;
}

/**
 * The event id of one sign-in: {@link invocationEventId} of the pool, the user's `sub` and the
 * Lambda request id (the same derivation as every publishing trigger's).
 */
export const loginEventId = (userPoolId: string, sub: string, requestId?: string): string =>
  invocationEventId(userPoolId, sub, requestId);

/** The user's status as Cognito sends it in the trigger's `cognito:user_status`, when it does. */
const statusOf = (userAttributes: Readonly<Record<string, string>>): { status?: string } => {
  const status = userAttributes['cognito:user_status'];
  return status === undefined || status === '' ? {} : { status };
};

/**
 * Parses a post-authentication trigger event and builds the `UserAuthenticated` v1 detail.
 *
 * @throws {@link InvalidEventError} when the payload is not a usable post-authentication event
 *   (no `sub`, no username, …); the message lists the problems without any attribute value.
 */
export const buildLoginEventDetail = (
  event: unknown,
  options: LoginEventDetailOptions,
): UserAuthenticatedV1 => {
  const parsed = PostAuthenticationEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidEventError(
      `not a usable post-authentication event: ${describeIssues(parsed.error).join('; ')}`,
    );
  }
  const trigger = parsed.data;
  const { sub } = trigger.request.userAttributes;
  const detail = UserAuthenticatedV1Schema.safeParse({
    schemaVersion: 1,
    eventId: loginEventId(trigger.userPoolId, sub, options.requestId),
    userPoolId: trigger.userPoolId,
    sub,
    username: trigger.userName,
    clientId: trigger.callerContext.clientId ?? null,
    triggerSource: trigger.triggerSource,
    authenticatedAt: new Date(options.authenticatedAtMs).toISOString(),
    attributes: pickAttributes(trigger.request.userAttributes, options.publishedAttributes),
    ...statusOf(trigger.request.userAttributes),
  } satisfies UserAuthenticatedV1);
  if (!detail.success) {
    throw new InvalidEventError(
      `the trigger event does not make a valid UserAuthenticated v1 event: ${describeIssues(detail.error).join('; ')}`,
    );
  }
  return detail.data;
};
