import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import type { ValidSyncRecord } from './parseSyncRecord.js';

/** The newest event of one user in a batch, and every record it stands for. */
export interface UserGroup {
  /** The record whose event is written (the newest of the user). */
  readonly representative: ValidSyncRecord;
  /** Message ids of all the user's records in the batch, the representative's included. */
  readonly messageIds: string[];
}

/**
 * Total order of events of one user: `authenticatedAt`, then `eventId`. `authenticatedAt` is
 * ISO-8601 UTC with exactly milliseconds (the schema enforces it), so comparing the strings
 * compares the instants. The DB guard uses the same order.
 */
export const compareEvents = (a: UserAuthenticatedV1, b: UserAuthenticatedV1): number => {
  if (a.authenticatedAt !== b.authenticatedAt)
    return a.authenticatedAt < b.authenticatedAt ? -1 : 1;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return 0;
};

const isNewer = (candidate: ValidSyncRecord, current: ValidSyncRecord): boolean => {
  const order = compareEvents(candidate.detail, current.detail);
  // The same event delivered twice: the smaller message id represents it, whatever the order.
  return order > 0 || (order === 0 && candidate.messageId < current.messageId);
};

/**
 * Groups the batch's records by user (`sub`) and keeps the newest event of each, so one row
 * per user is written (a multi-row upsert may not touch a row twice). Deterministic: the
 * result does not depend on the order of the records. Groups come sorted by `sub`, so that
 * concurrent batches upsert (and lock) the rows they share in the same order: two batches that
 * touch the same users in different orders would otherwise deadlock in PostgreSQL.
 *
 * The other records of a group share the representative's outcome: they succeed when it is
 * written or skipped as stale (a newer or equal event is stored, so theirs is obsolete) and
 * fail back to SQS with it otherwise (see docs/user-sync.md).
 */
export const dedupeByUser = (records: readonly ValidSyncRecord[]): UserGroup[] => {
  const groups = new Map<string, { representative: ValidSyncRecord; messageIds: string[] }>();
  for (const record of records) {
    const group = groups.get(record.detail.sub);
    if (group === undefined) {
      groups.set(record.detail.sub, { representative: record, messageIds: [record.messageId] });
    } else {
      group.messageIds.push(record.messageId);
      if (isNewer(record, group.representative)) group.representative = record;
    }
  }
  // `sort()` without a comparator orders strings by UTF-16 code units, as `<` does, and is
  // several times cheaper than a comparator over entries.
  const ordered: UserGroup[] = [];
  for (const sub of [...groups.keys()].sort()) {
    const group = groups.get(sub);
    if (group !== undefined) ordered.push(group);
  }
  return ordered;
};
