import * as z from 'zod/mini';
import { InvalidEventError } from '../../shared/errors.js';
import { type UserSignedUpV1, UserSignedUpV1Schema } from '../../shared/events/userLifecycle.js';
import { cognitoTriggerEventSchema } from '../../shared/publishing/cognitoTriggerEvent.js';
import { invocationEventId } from '../../shared/publishing/invocationEventId.js';
import { describeIssues, pickAttributes } from '../../shared/publishing/userAttributes.js';

/** The trigger source of a confirmed sign-up (also a federated user's first sign-in). */
export const CONFIRM_SIGN_UP = 'PostConfirmation_ConfirmSignUp' as const;

/** The status a confirmed user has when Cognito does not send `cognito:user_status`. */
export const DEFAULT_SIGNED_UP_STATUS = 'CONFIRMED';

/**
 * The `clientId` Cognito puts in `callerContext` when no app client made the call (an
 * administrator's AdminConfirmSignUp); the event states `null` then.
 */
const NO_CLIENT_IDS: ReadonlySet<string> = new Set(['', 'CLIENT_ID_NOT_APPLICABLE']);

/**
 * The Cognito post-confirmation trigger event of a sign-up, as far as this service relies on it:
 * only `PostConfirmation_ConfirmSignUp`, with a username and a `sub` attribute; `clientId` may be
 * absent.
 */
export const PostConfirmationEventSchema = cognitoTriggerEventSchema([CONFIRM_SIGN_UP]);

/** The trigger source of any post-confirmation event, read before the full parse. */
const TriggerSourceSchema = z.object({ triggerSource: z.string() });

/** What the detail is built from besides the trigger event. */
export interface SignUpEventDetailOptions {
  /** Attribute names that may be published; every other attribute is dropped. */
  readonly publishedAttributes: readonly string[];
  /** When the trigger ran, epoch milliseconds (the event's `occurredAt`). */
  readonly occurredAtMs: number;
  /**
   * The Lambda request id of this invocation (`context.awsRequestId`).
   *
   * @default undefined - the event id is random (invocations without a Lambda context)
   */
  readonly requestId?: string | undefined;
}

/**
 * The trigger source of a post-confirmation event, or `undefined` when there is none.
 *
 * @example
 * triggerSourceOf({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' });
 */
export const triggerSourceOf = (event: unknown): string | undefined => {
  const parsed = TriggerSourceSchema.safeParse(event);
  return parsed.success ? parsed.data.triggerSource : undefined;
};

/**
 * Parses a post-confirmation trigger event of a sign-up (`PostConfirmation_ConfirmSignUp`) and
 * builds the `UserSignedUp` v1 detail: allow-listed attributes, `enabled: true` (a user just
 * confirmed may sign in), `status` from `cognito:user_status` (else `CONFIRMED`), `cause` the
 * trigger source, `occurredAt` the time the trigger ran.
 *
 * @throws {@link InvalidEventError} when the payload is not a usable sign-up confirmation (no
 *   `sub`, no username, another trigger source, …); the message lists the problems without any
 *   attribute value.
 */
export const buildSignUpEventDetail = (
  event: unknown,
  options: SignUpEventDetailOptions,
): UserSignedUpV1 => {
  const parsed = PostConfirmationEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidEventError(
      `not a usable post-confirmation sign-up event: ${describeIssues(parsed.error).join('; ')}`,
    );
  }
  const trigger = parsed.data;
  const { sub } = trigger.request.userAttributes;
  const clientId = trigger.callerContext.clientId;
  const status = trigger.request.userAttributes['cognito:user_status'];
  const detail = UserSignedUpV1Schema.safeParse({
    schemaVersion: 1,
    eventId: invocationEventId(trigger.userPoolId, sub, options.requestId),
    userPoolId: trigger.userPoolId,
    sub,
    username: trigger.userName,
    clientId: clientId === undefined || NO_CLIENT_IDS.has(clientId) ? null : clientId,
    attributes: pickAttributes(trigger.request.userAttributes, options.publishedAttributes),
    enabled: true,
    status: status === undefined || status === '' ? DEFAULT_SIGNED_UP_STATUS : status,
    cause: trigger.triggerSource,
    occurredAt: new Date(options.occurredAtMs).toISOString(),
  } satisfies UserSignedUpV1);
  if (!detail.success) {
    throw new InvalidEventError(
      `the trigger event does not make a valid UserSignedUp v1 event: ${describeIssues(detail.error).join('; ')}`,
    );
  }
  return detail.data;
};
