import {
  UserAuthenticatedEnvelopeSchema,
  type UserAuthenticatedV1,
} from '../../shared/events/userAuthenticated.js';
import type { UserSyncConfig } from './config.js';

/** The parts of an SQS record the consumer reads. */
export interface SyncRecordInput {
  readonly messageId: string;
  readonly body: string;
}

/** A record whose body is a valid `UserAuthenticated` v1 event. */
export interface ValidSyncRecord {
  readonly ok: true;
  readonly messageId: string;
  readonly detail: UserAuthenticatedV1;
}

/** A record that cannot be processed, ever: it fails at once and reaches the DLQ. */
export interface InvalidSyncRecord {
  readonly ok: false;
  readonly messageId: string;
  /** Why, for the log: JSON error or the first schema issues (paths and rules, never values). */
  readonly reason: string;
}

/** Outcome of {@link parseSyncRecord}. */
export type ParsedSyncRecord = ValidSyncRecord | InvalidSyncRecord;

/** What a record must match to be applied: the consumer's trust settings. */
export type SyncRecordAcceptance = Pick<
  UserSyncConfig,
  'eventSource' | 'userPoolIds' | 'maxClockSkewMs'
>;

const MAX_ISSUES = 3;

/**
 * Parses one SQS record body: the EventBridge envelope carrying `UserAuthenticated` v1, as a
 * rule target delivers it and as the post-authentication fallback sends it (same shape, same
 * `source`). Unknown fields are ignored. Never throws: a record that cannot be applied, ever, is
 * an {@link InvalidSyncRecord} with its reason, namely one that is not such an event, whose
 * `source` is not `accept.eventSource`, whose `detail.userPoolId` is not in
 * `accept.userPoolIds`, or whose `authenticatedAt` lies more than `accept.maxClockSkewMs` after
 * `nowMs` (under newest wins it would hold the row against every real login until then).
 *
 * One `JSON.parse` and one zod `safeParse` per record, no logging: this is the hot path.
 *
 * @param nowMs - the consumer's clock, epoch ms.
 * @default nowMs - `Date.now()`
 * @example
 * const parsed = parseSyncRecord(record, config, Date.now());
 * if (!parsed.ok) logger.warn('Record rejected', { reason: parsed.reason });
 */
export const parseSyncRecord = (
  record: SyncRecordInput,
  accept: SyncRecordAcceptance,
  nowMs: number = Date.now(),
): ParsedSyncRecord => {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return { ok: false, messageId: record.messageId, reason: 'body is not JSON' };
  }
  const parsed = UserAuthenticatedEnvelopeSchema.safeParse(json);
  if (parsed.success) {
    const { detail, source } = parsed.data;
    const reason = untrusted(source, detail, accept, nowMs);
    if (reason !== undefined) return { ok: false, messageId: record.messageId, reason };
    return { ok: true, messageId: record.messageId, detail };
  }
  const issues = parsed.error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  const more =
    parsed.error.issues.length > MAX_ISSUES
      ? ` (+${parsed.error.issues.length - MAX_ISSUES} more)`
      : '';
  return {
    ok: false,
    messageId: record.messageId,
    reason: `not a UserAuthenticated v1 event: ${issues.join('; ')}${more}`,
  };
};

/** Why a well-formed event must not be applied, or undefined when it may. */
const untrusted = (
  source: string,
  detail: UserAuthenticatedV1,
  accept: SyncRecordAcceptance,
  nowMs: number,
): string | undefined => {
  if (source !== accept.eventSource) {
    return `source "${source}" is not the configured EVENT_SOURCE "${accept.eventSource}"`;
  }
  if (!accept.userPoolIds.includes(detail.userPoolId)) {
    return `detail.userPoolId "${detail.userPoolId}" is not listed in USER_POOL_IDS`;
  }
  const aheadMs = Date.parse(detail.authenticatedAt) - nowMs;
  if (aheadMs > accept.maxClockSkewMs) {
    return `detail.authenticatedAt lies ${aheadMs} ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS (${accept.maxClockSkewMs} ms)`;
  }
  return undefined;
};
