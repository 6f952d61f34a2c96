import { createHash, randomUUID } from 'node:crypto';
import { PostAuthenticationTriggerSchema } from '@aws-lambda-powertools/parser/schemas/cognito';
import { z } from 'zod';
import { InvalidEventError } from '../../shared/errors.js';
import {
  type UserAuthenticatedV1,
  UserAuthenticatedV1Schema,
} from '../../shared/events/userAuthenticated.js';

/**
 * The Cognito post-authentication trigger event, as far as this service relies on it: Powertools'
 * schema, tightened so that a usable event has a username and a `sub` attribute.
 */
export const PostAuthenticationEventSchema = PostAuthenticationTriggerSchema.extend({
  userName: z.string().min(1),
  request: PostAuthenticationTriggerSchema.shape.request.extend({
    userAttributes: z.object({ sub: z.string().min(1) }).catchall(z.string()),
  }),
});

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
 * Problems of an unusable payload as `path: message` lines. zod 4 does not put input values in
 * issues, so attribute values never reach the logs this way.
 */
export const describeIssues = (error: {
  readonly issues: ReadonlyArray<{
    readonly path: readonly PropertyKey[];
    readonly message: string;
  }>;
}): string[] =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);

/**
 * The event id of one trigger invocation: a UUID-shaped SHA-256 of the pool, the user's `sub`
 * and the Lambda request id. Every copy sent by this invocation (the SDK's retry, our retry of a
 * rejected entry, the SQS fallback) carries the same id, so consumers can drop duplicates.
 * Cognito's payload carries no request id of its own; a Cognito retry is a new Lambda invocation
 * with a new request id, so it gets a new id, which is harmless because the consumer is
 * idempotent and newest-wins (docs/post-authentication.md explains the choice).
 */
export const loginEventId = (userPoolId: string, sub: string, requestId?: string): string => {
  if (requestId === undefined || requestId === '') return randomUUID();
  const hex = createHash('sha256').update(`${userPoolId}\n${sub}\n${requestId}`).digest('hex');
  // Shape it as an RFC 9562 version-8 (custom) UUID so it reads like any other event id.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Copies the allow-listed attributes; the rest of the user's attributes never leave. */
export const pickAttributes = (
  userAttributes: Readonly<Record<string, string>>,
  allowList: readonly string[],
): Record<string, string> => {
  const picked: Record<string, string> = {};
  for (const name of allowList) {
    const value = userAttributes[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
};

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
    clientId: trigger.callerContext.clientId,
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
