import {
  ALL_DETAIL_TYPES,
  DETAIL_TYPES,
  occurredAtOf,
  type SyncEvent,
  SyncEventEnvelopeSchema,
  toSyncEvent,
} from '../../shared/events/syncEvent.js';
import type { UserSyncConfig } from './config.js';

/** The parts of an SQS record the consumer reads. */
export interface SyncRecordInput {
  readonly messageId: string;
  readonly body: string;
}

/** A record whose body is a valid event of the contract, of any detail type. */
export interface ValidSyncRecord {
  readonly ok: true;
  readonly messageId: string;
  /** The event, tagged with its detail type. */
  readonly event: SyncEvent;
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

const KNOWN_TYPES = new Set<string>(ALL_DETAIL_TYPES);

/** The `detail-type` of a parsed JSON body, when it has a string one. */
const detailTypeOf = (json: unknown): string | undefined => {
  if (json === null || typeof json !== 'object') return undefined;
  const type = (json as Record<string, unknown>)['detail-type'];
  return typeof type === 'string' ? type : undefined;
};

/**
 * Parses one SQS record body: the EventBridge envelope carrying any event of the contract
 * (`UserAuthenticated`, `UserSignedUp`, `UserUpdated`, `UserDeleted`, v1), as a rule target
 * delivers it and as a trigger's fallback sends it (same shape, same `source`). Unknown fields
 * are ignored. Never throws: a record that cannot be applied, ever, is an
 * {@link InvalidSyncRecord} with its reason, which names the detail type: one that is not such
 * an event (an unknown detail type included), whose `source` is not `accept.eventSource`, whose
 * `detail.userPoolId` is not in `accept.userPoolIds`, or whose time (`authenticatedAt` of a
 * login, `occurredAt` otherwise) lies more than `accept.maxClockSkewMs` after `nowMs` (under
 * newest wins it would hold the row against every real event until then).
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
  const parsed = SyncEventEnvelopeSchema.safeParse(json);
  if (parsed.success) {
    const event = toSyncEvent(parsed.data);
    const reason = untrusted(parsed.data.source, event, accept, nowMs);
    if (reason !== undefined) return { ok: false, messageId: record.messageId, reason };
    return { ok: true, messageId: record.messageId, event };
  }
  const type = detailTypeOf(json);
  if (type === undefined || !KNOWN_TYPES.has(type)) {
    // The detail type is free text from the sender: quoted, and cut to a sane length.
    const named = type === undefined ? 'no detail-type' : `detail-type "${type.slice(0, 64)}"`;
    return {
      ok: false,
      messageId: record.messageId,
      reason: `not an event of the contract: ${named} is not one of ${ALL_DETAIL_TYPES.join(', ')}`,
    };
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
    reason: `not a ${type} v1 event: ${issues.join('; ')}${more}`,
  };
};

/** Why a well-formed event must not be applied, or undefined when it may. */
const untrusted = (
  source: string,
  event: SyncEvent,
  accept: SyncRecordAcceptance,
  nowMs: number,
): string | undefined => {
  if (source !== accept.eventSource) {
    return `${event.type}: source "${source}" is not the configured EVENT_SOURCE "${accept.eventSource}"`;
  }
  if (!accept.userPoolIds.includes(event.detail.userPoolId)) {
    return `${event.type}: detail.userPoolId "${event.detail.userPoolId}" is not listed in USER_POOL_IDS`;
  }
  const at = occurredAtOf(event);
  const aheadMs = Date.parse(at) - nowMs;
  if (aheadMs > accept.maxClockSkewMs) {
    const field = event.type === DETAIL_TYPES.authenticated ? 'authenticatedAt' : 'occurredAt';
    return `${event.type}: detail.${field} lies ${aheadMs} ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS (${accept.maxClockSkewMs} ms)`;
  }
  return undefined;
};
