import { finishRun } from './finishRun.js';
import { subPrefixes } from './partitions.js';
import {
  listPartition,
  newCursor,
  type PartitionCursor,
  type ReconcileDependencies,
  type ReconcileSettings,
  scanOrphans,
} from './reconcilePartition.js';
import { type DriftCounts, emptyTally, hasDrift, type ReconcileTally } from './tally.js';

/** Where a run stands: what a checkpoint stores (besides the subs of the partition in flight). */
export interface ReconcileRunState {
  /** Hex digits per partition prefix (0: one pass over the whole pool). */
  readonly prefixLength: number;
  /** Index of the partition in flight (`subPrefixes(prefixLength)`); its length when all are done. */
  partition: number;
  /** The partition in flight's next ListUsers page; `null` before its first. */
  paginationToken: string | null;
  /** True once the partition in flight is listed (its orphan scan is next). */
  listed: boolean;
  readonly tally: ReconcileTally;
  readonly startedAt: string;
}

/** Persists a run's progress (the CLI's checkpoint file). */
export interface ReconcileCheckpointPort {
  /** After a page is classified and repaired: `pageSubs` join the partition's listed subs. */
  savePage(state: ReconcileRunState, pageSubs: readonly string[]): Promise<void>;
  /** After a partition's orphan scan: the next partition starts with no listed subs. */
  savePartition(state: ReconcileRunState): Promise<void>;
}

/** Options of {@link reconcilePool}. */
export interface ReconcilePoolOptions {
  /** Hex digits per partition prefix, 0–2. */
  readonly prefixLength: number;
  /** Continue a checkpointed run: its state and the subs its partition in flight listed. */
  readonly resume?: { readonly state: ReconcileRunState; readonly seen: Set<string> };
  /** @default - no checkpoint */
  readonly checkpoint?: ReconcileCheckpointPort;
  /** Stops between pages (SIGINT); the checkpoint lets a run continue. */
  readonly signal?: AbortSignal;
  /** Called after each page, for progress. */
  readonly onPage?: (state: ReconcileRunState) => void;
}

/** What a run found and did: the report of the CLI and of the scheduled job. */
export interface ReconcileReport {
  readonly userPoolId: string;
  readonly dryRun: boolean;
  readonly counts: DriftCounts;
  /** Users in Cognito whose row is a tombstone (reported; events cannot revive a deletion). */
  readonly tombstoned: number;
  /** For stale users, how often each field differed (names only). */
  readonly staleFields: Record<string, number>;
  /** Repair events published, deletions included. */
  readonly repaired: number;
  /** `UserDeleted` events published. */
  readonly deleted: number;
  /** Repair events that still failed after every attempt. */
  readonly failed: number;
  /** A few subs of each class. */
  readonly samples: ReconcileTally['samples'];
  readonly maxDeletes: number;
  /** More orphans than `maxDeletes`: the run stopped and deleted nothing. */
  readonly stoppedAtMaxDeletes: boolean;
  /** Every partition listed and scanned. */
  readonly complete: boolean;
  /** Stopped by the signal (resumable). */
  readonly interrupted: boolean;
  /** Whether any drift was found. */
  readonly drift: boolean;
  readonly partitions: {
    readonly prefixLength: number;
    readonly done: number;
    readonly total: number;
  };
  readonly pages: number;
  readonly cognitoCalls: number;
  readonly timings: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly elapsedMs: number;
  };
}

/** Builds the report of a tally (shared by the CLI and the scheduled job's last step). */
export const toReport = (
  settings: ReconcileSettings,
  tally: ReconcileTally,
  run: {
    readonly deleted: number;
    readonly stoppedAtMaxDeletes: boolean;
    readonly complete: boolean;
    readonly interrupted: boolean;
    readonly partitions: ReconcileReport['partitions'];
    readonly startedAt: string;
    readonly finishedAt: Date;
  },
): ReconcileReport => ({
  userPoolId: settings.userPoolId,
  dryRun: settings.dryRun,
  counts: { ...tally.counts },
  tombstoned: tally.tombstoned,
  staleFields: { ...tally.staleFields },
  repaired: tally.repaired,
  deleted: run.deleted,
  failed: tally.failed,
  samples: tally.samples,
  maxDeletes: settings.maxDeletes,
  stoppedAtMaxDeletes: run.stoppedAtMaxDeletes,
  complete: run.complete,
  interrupted: run.interrupted,
  drift: hasDrift(tally),
  partitions: run.partitions,
  pages: tally.pages,
  cognitoCalls: tally.cognitoCalls,
  timings: {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt.toISOString(),
    elapsedMs: run.finishedAt.getTime() - Date.parse(run.startedAt),
  },
});

/**
 * Reconciles a whole pool in one process (the CLI): partition after partition, lists the users
 * (repairing missing and stale users page by page), then scans the partition's live rows for
 * orphans; at the end, publishes the deletions if there are at most `maxDeletes`. Memory holds
 * the subs listed in the partition in flight, one page of users and rows, and at most
 * `maxDeletes + 1` orphans.
 */
export const reconcilePool = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  options: ReconcilePoolOptions,
): Promise<ReconcileReport> => {
  const now = dependencies.now ?? (() => new Date());
  const state: ReconcileRunState = options.resume?.state ?? {
    prefixLength: options.prefixLength,
    partition: 0,
    paginationToken: null,
    listed: false,
    tally: emptyTally(),
    startedAt: now().toISOString(),
  };
  const prefixes = subPrefixes(state.prefixLength);
  const report = (run: { deleted: number; stoppedAtMaxDeletes: boolean; interrupted: boolean }) =>
    toReport(settings, state.tally, {
      ...run,
      complete: state.partition >= prefixes.length && !run.stoppedAtMaxDeletes,
      partitions: {
        prefixLength: state.prefixLength,
        done: Math.min(state.partition, prefixes.length),
        total: prefixes.length,
      },
      startedAt: state.startedAt,
      finishedAt: now(),
    });
  let cursor: PartitionCursor = {
    paginationToken: state.paginationToken,
    listed: state.listed,
    seen: options.resume?.seen ?? new Set(),
  };
  const signal = options.signal ? { signal: options.signal } : {};
  while (state.partition < prefixes.length) {
    const prefix = prefixes[state.partition] ?? '';
    const listed = await listPartition(dependencies, settings, prefix, cursor, state.tally, {
      ...signal,
      onPage: async (at, pageSubs) => {
        state.paginationToken = at.paginationToken;
        state.listed = at.listed;
        await options.checkpoint?.savePage(state, pageSubs);
        options.onPage?.(state);
      },
    });
    if (!listed) return report({ deleted: 0, stoppedAtMaxDeletes: false, interrupted: true });
    const scanned = await scanOrphans(
      dependencies,
      settings,
      prefix,
      cursor.seen,
      state.tally,
      signal,
    );
    if (!scanned) {
      const stopped = !settings.dryRun && state.tally.counts.orphaned > settings.maxDeletes;
      return report({ deleted: 0, stoppedAtMaxDeletes: stopped, interrupted: !stopped });
    }
    state.partition += 1;
    state.paginationToken = null;
    state.listed = false;
    cursor = newCursor();
    await options.checkpoint?.savePartition(state);
  }
  const outcome = await finishRun(dependencies, settings, state.tally);
  return report({ ...outcome, interrupted: false });
};
