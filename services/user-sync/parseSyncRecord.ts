import {
  UserAuthenticatedEnvelopeSchema,
  type UserAuthenticatedV1,
} from '../../shared/events/userAuthenticated.js';

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

const MAX_ISSUES = 3;

/**
 * How far in the future `authenticatedAt` may lie (clock skew between producers). A later time
 * is refused: under newest wins, such an event would pin the row against every real login.
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Parses one SQS record body: the EventBridge envelope carrying `UserAuthenticated` v1, as a
 * rule target delivers it and as the post-authentication fallback sends it (same shape).
 * Unknown fields are ignored. Never throws: a bad record is an {@link InvalidSyncRecord}, and
 * so is an event dated beyond {@link MAX_FUTURE_SKEW_MS} after `nowMs`.
 *
 * One `JSON.parse` and one zod `safeParse` per record, no logging: this is the hot path.
 */
export const parseSyncRecord = (
  record: SyncRecordInput,
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
    const { detail } = parsed.data;
    if (Date.parse(detail.authenticatedAt) > nowMs + MAX_FUTURE_SKEW_MS) {
      return {
        ok: false,
        messageId: record.messageId,
        reason: `detail.authenticatedAt lies more than ${MAX_FUTURE_SKEW_MS / 60_000} min in the future`,
      };
    }
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
