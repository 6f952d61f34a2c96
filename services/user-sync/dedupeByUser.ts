import { compareSyncEvents, DETAIL_TYPES } from '../../shared/events/syncEvent.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import type { UserWrite } from './columnMap.js';
import type { ValidSyncRecord } from './parseSyncRecord.js';

/** The row one user gets from a batch, and every record it stands for. */
export interface UserGroup {
  /**
   * The record whose event is written: the user's earliest deletion of the batch if there is
   * one (a deletion is final), else the newest event of any type by `(occurredAt, eventId)`.
   */
  readonly representative: ValidSyncRecord;
  /** What the row is built from: the representative's event, and the riding login if any. */
  readonly write: UserWrite;
  /** Message ids of all the user's records in the batch, the representative's included. */
  readonly messageIds: string[];
}

const { authenticated, deleted } = DETAIL_TYPES;

/** Whether `candidate` takes the place of `current` as the user's representative. */
const wins = (candidate: ValidSyncRecord, current: ValidSyncRecord): boolean => {
  const candidateDeletes = candidate.event.type === deleted;
  const currentDeletes = current.event.type === deleted;
  if (candidateDeletes !== currentDeletes) return candidateDeletes;
  // Two deletions: the earliest (the tombstone records when the user was first known gone).
  // Otherwise the newest wins.
  const order = compareSyncEvents(candidate.event, current.event);
  const better = candidateDeletes ? order < 0 : order > 0;
  // The same event delivered twice: the smaller message id represents it, whatever the order.
  return better || (order === 0 && candidate.messageId < current.messageId);
};

interface MutableGroup {
  representative: ValidSyncRecord;
  seen: UserAuthenticatedV1 | undefined;
  messageIds: string[];
}

/**
 * Groups the batch's records by user (`sub`) and keeps one write per user, so one row per user
 * is written (a multi-row upsert may not touch a row twice): the user's deletion if the batch
 * has one, else the newest event of any type, with the newest login of the batch riding along
 * when the newest event is a state event (it may still raise `last_seen_at`). Deterministic:
 * the result does not depend on the order of the records. Groups come sorted by `sub`, so that
 * concurrent batches upsert (and lock) the rows they share in the same order.
 *
 * The other records of a group share the representative's outcome: they succeed when it is
 * written or skipped as stale, and fail back to SQS with it otherwise (see docs/user-sync.md).
 */
export const dedupeByUser = (records: readonly ValidSyncRecord[]): UserGroup[] => {
  const groups = new Map<string, MutableGroup>();
  for (const record of records) {
    const login = record.event.type === authenticated ? record.event.detail : undefined;
    const group = groups.get(record.event.detail.sub);
    if (group === undefined) {
      groups.set(record.event.detail.sub, {
        representative: record,
        seen: login,
        messageIds: [record.messageId],
      });
      continue;
    }
    group.messageIds.push(record.messageId);
    if (wins(record, group.representative)) group.representative = record;
    if (
      login !== undefined &&
      (group.seen === undefined ||
        login.authenticatedAt > group.seen.authenticatedAt ||
        (login.authenticatedAt === group.seen.authenticatedAt &&
          login.eventId > group.seen.eventId))
    ) {
      group.seen = login;
    }
  }
  // `sort()` without a comparator orders strings by UTF-16 code units, as `<` does, and is
  // several times cheaper than a comparator over entries.
  const ordered: UserGroup[] = [];
  for (const sub of [...groups.keys()].sort()) {
    const group = groups.get(sub);
    if (group === undefined) continue;
    const { event } = group.representative;
    const seen = event.type === authenticated || event.type === deleted ? undefined : group.seen;
    ordered.push({
      representative: group.representative,
      write: seen === undefined ? { event } : { event, seen },
      messageIds: group.messageIds,
    });
  }
  return ordered;
};
