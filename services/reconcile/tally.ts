import type { LiveRowKey } from './usersTable.js';

/** The four classes of the report. */
export interface DriftCounts {
  /** Users whose row matches Cognito (or was written after the read). */
  inStep: number;
  /** Users in Cognito without a row. */
  missing: number;
  /** Users whose row differs: a mapped attribute, the username, `enabled` or the status. */
  stale: number;
  /** Live rows (`deleted_at` NULL) whose user AdminGetUser confirms is gone. */
  orphaned: number;
}

/** The drift classes that are sampled. */
export type DriftClass = 'missing' | 'stale' | 'orphaned' | 'tombstoned';

/**
 * What a reconcile run has found and done so far: plain JSON, so it goes into the CLI's
 * checkpoint and through Step Functions unchanged. Holds no attribute value.
 */
export interface ReconcileTally {
  counts: DriftCounts;
  /** Users in Cognito whose row is a tombstone: a deletion is final, events cannot repair it. */
  tombstoned: number;
  /** For stale users, how often each field differed (field names only). */
  staleFields: Record<string, number>;
  /** Repair events published (`UserUpdated` + `UserDeleted`). */
  repaired: number;
  /** Repair events still failing after every attempt. */
  failed: number;
  /** A few subs of each class (never attribute values). */
  samples: Record<DriftClass, string[]>;
  /**
   * Confirmed orphans held until the end of the run, when their deletions are published if there
   * are at most `maxDeletes` of them; never more than `maxDeletes + 1` are held.
   */
  orphans: LiveRowKey[];
  /** ListUsers pages read. */
  pages: number;
  /** Cognito calls made (ListUsers + AdminGetUser), all under the rate limit. */
  cognitoCalls: number;
}

/** Subs kept per class. */
export const SAMPLES_PER_CLASS = 5;

/** An empty tally. */
export const emptyTally = (): ReconcileTally => ({
  counts: { inStep: 0, missing: 0, stale: 0, orphaned: 0 },
  tombstoned: 0,
  staleFields: {},
  repaired: 0,
  failed: 0,
  samples: { missing: [], stale: [], orphaned: [], tombstoned: [] },
  orphans: [],
  pages: 0,
  cognitoCalls: 0,
});

/** Records a sub in its class's samples while there is room. */
export const sample = (tally: ReconcileTally, kind: DriftClass, sub: string): void => {
  const list = tally.samples[kind];
  if (list.length < SAMPLES_PER_CLASS) list.push(sub);
};

/**
 * Adds `part` to `total` (partitions run apart, in Step Functions' Map): counts, samples up to
 * their cap, orphans up to `orphanCap`.
 */
export const mergeTallies = (
  total: ReconcileTally,
  part: ReconcileTally,
  orphanCap: number,
): ReconcileTally => {
  for (const key of Object.keys(total.counts) as Array<keyof DriftCounts>) {
    total.counts[key] += part.counts[key];
  }
  total.tombstoned += part.tombstoned;
  for (const [field, count] of Object.entries(part.staleFields)) {
    total.staleFields[field] = (total.staleFields[field] ?? 0) + count;
  }
  total.repaired += part.repaired;
  total.failed += part.failed;
  for (const kind of Object.keys(total.samples) as DriftClass[]) {
    for (const sub of part.samples[kind]) sample(total, kind, sub);
  }
  for (const orphan of part.orphans) {
    if (total.orphans.length < orphanCap) total.orphans.push(orphan);
  }
  total.pages += part.pages;
  total.cognitoCalls += part.cognitoCalls;
  return total;
};

/** Whether the tally found any drift (including tombstoned users). */
export const hasDrift = (tally: ReconcileTally): boolean =>
  tally.counts.missing + tally.counts.stale + tally.counts.orphaned + tally.tombstoned > 0;
