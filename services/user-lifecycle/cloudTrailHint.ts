import * as z from 'zod/mini';
import { pipeline } from '../../shared/pipeline.js';
import { describeIssues } from '../../shared/publishing/userAttributes.js';

/** `source` of the Cognito user pools' CloudTrail events on the default bus. */
export const COGNITO_EVENT_SOURCE = 'aws.cognito-idp';

/** `detail-type` of a management event CloudTrail puts on the default bus. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The CloudTrail event names the consumer acts on (those the stack's rule routes to it). */
export type LifecycleEventName = (typeof pipeline.lifecycle.eventNames)[number];

const EVENT_NAMES: ReadonlySet<string> = new Set(pipeline.lifecycle.eventNames);

/**
 * CloudTrail writes this in place of a value it keeps private (usernames, attribute values);
 * AWS's pages spell it both `HIDDEN_DUE_TO_SECURITY_REASONS` and `HIDDEN_FOR_SECURITY_REASONS`.
 */
const HIDDEN_VALUE = /^HIDDEN_[A-Z_]*SECURITY_REASONS$/;

/** A `sub` the consumer puts into a ListUsers filter: a UUID in practice; never a quote. */
const SUB_PATTERN = /^[\w-]{1,128}$/;

/**
 * The fields of a CloudTrail event this consumer relies on, and only those: `eventName`,
 * `eventTime`, `errorCode`'s absence, `requestParameters.userPoolId`, `additionalEventData.sub`,
 * and `requestParameters.username` when it is in clear. Any of them may be hidden or absent;
 * everything else of the event is ignored.
 */
const CloudTrailEventSchema = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.object({
    eventName: z.string(),
    eventTime: z.optional(z.unknown()),
    errorCode: z.optional(z.unknown()),
    requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    additionalEventData: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  }),
});

/** Which user a hint is about: its `sub` when CloudTrail gives it, else its username. */
export type HintedUser =
  | { readonly by: 'sub'; readonly sub: string; readonly username: string | null }
  | { readonly by: 'username'; readonly username: string };

/** A usable CloudTrail event: a successful user-changing call in one of the configured pools. */
export interface LifecycleHint {
  readonly eventName: LifecycleEventName;
  /** The call's time, epoch ms (orders the hints of one user in a batch). */
  readonly eventTimeMs: number;
  readonly userPoolId: string;
  readonly user: HintedUser;
}

/** Why a CloudTrail event publishes nothing, and never will (the record is deleted). */
export type IgnoreReason =
  | 'not-cognito-api-call'
  | 'failed-call'
  | 'unknown-event-name'
  | 'other-pool';

/** What one SQS message body is. */
export type ParsedHint =
  | { readonly kind: 'hint'; readonly hint: LifecycleHint }
  | { readonly kind: 'ignored'; readonly reason: IgnoreReason }
  /** Unusable: the record is failed back and reaches the DLQ, with this reason logged. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** A value CloudTrail gives in clear: a non-empty string that is not its "hidden" marker. */
export const inClear = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && !HIDDEN_VALUE.test(value) ? value : undefined;

const parseJson = (body: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
};

/**
 * Reads one SQS message body of the lifecycle queue: the EventBridge event of a Cognito API call
 * as CloudTrail records it. Never throws. The pool comes from `requestParameters.userPoolId`; the
 * user from `additionalEventData.sub`, else `requestParameters.username` when it is in clear.
 *
 * @param body - the SQS message body.
 * @param userPoolIds - the pools the consumer acts on.
 *
 * @example
 * const parsed = parseCloudTrailHint(record.body, new Set(['eu-west-1_AbCdEf123']));
 * if (parsed.kind === 'hint') read(parsed.hint.user);
 */
export const parseCloudTrailHint = (body: string, userPoolIds: ReadonlySet<string>): ParsedHint => {
  const json = parseJson(body);
  if (!json.ok) return { kind: 'invalid', reason: 'the message body is not JSON' };
  const parsed = CloudTrailEventSchema.safeParse(json.value);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      reason: `not a CloudTrail event on EventBridge: ${describeIssues(parsed.error).join('; ')}`,
    };
  }
  const event = parsed.data;
  if (event.source !== COGNITO_EVENT_SOURCE || event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return { kind: 'ignored', reason: 'not-cognito-api-call' };
  }
  const { detail } = event;
  // A successful call has no errorCode; a hosted-UI record may carry it empty.
  if (detail.errorCode !== undefined && detail.errorCode !== null && detail.errorCode !== '') {
    return { kind: 'ignored', reason: 'failed-call' };
  }
  if (!EVENT_NAMES.has(detail.eventName)) return { kind: 'ignored', reason: 'unknown-event-name' };
  const userPoolId = inClear(detail.requestParameters?.userPoolId);
  if (userPoolId === undefined) {
    return { kind: 'invalid', reason: 'requestParameters.userPoolId is absent or hidden' };
  }
  if (!userPoolIds.has(userPoolId)) return { kind: 'ignored', reason: 'other-pool' };
  const eventTimeMs =
    typeof detail.eventTime === 'string' ? Date.parse(detail.eventTime) : Number.NaN;
  if (Number.isNaN(eventTimeMs)) {
    return { kind: 'invalid', reason: 'detail.eventTime is absent or not a date' };
  }
  const sub = inClear(detail.additionalEventData?.sub);
  const username = inClear(detail.requestParameters?.username) ?? null;
  let user: HintedUser;
  if (sub !== undefined) {
    if (!SUB_PATTERN.test(sub)) {
      return { kind: 'invalid', reason: 'additionalEventData.sub is not a Cognito sub' };
    }
    user = { by: 'sub', sub, username };
  } else if (username !== null) {
    user = { by: 'username', username };
  } else {
    return {
      kind: 'invalid',
      reason:
        'the user cannot be identified: additionalEventData.sub is absent and requestParameters.username is hidden',
    };
  }
  return {
    kind: 'hint',
    hint: { eventName: detail.eventName as LifecycleEventName, eventTimeMs, userPoolId, user },
  };
};

/** The key that groups the hints of one user in a batch (one Cognito read per key). */
export const hintKey = (hint: LifecycleHint): string =>
  hint.user.by === 'sub'
    ? `${hint.userPoolId}\nsub\n${hint.user.sub}`
    : `${hint.userPoolId}\nusername\n${hint.user.username}`;
