import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { publishAll } from '../../cli/backfill.js';
import { deletionEntry, reconcileDeletion } from './reconcileEvents.js';
import type { ReconcileDependencies, ReconcileSettings } from './reconcilePartition.js';
import type { ReconcileTally } from './tally.js';

/** What {@link finishRun} did with the confirmed orphans. */
export interface FinishOutcome {
  /** `UserDeleted` events published. */
  readonly deleted: number;
  /** True when more orphans than `maxDeletes` were found: nothing was deleted. */
  readonly stoppedAtMaxDeletes: boolean;
}

/**
 * Ends a run: publishes one `UserDeleted` per confirmed orphan, only when the run found at most
 * `maxDeletes` of them (a run pointed at the wrong pool or table finds all rows orphaned and
 * must not empty the table) and it is not a dry run. Deletions wait for the end of the run so
 * that the limit is checked against the whole count before anything is deleted.
 */
export const finishRun = async (
  dependencies: Pick<ReconcileDependencies, 'eventBridge' | 'now'>,
  settings: ReconcileSettings,
  tally: ReconcileTally,
): Promise<FinishOutcome> => {
  const stoppedAtMaxDeletes = tally.counts.orphaned > settings.maxDeletes;
  if (settings.dryRun || stoppedAtMaxDeletes || tally.orphans.length === 0) {
    return { deleted: 0, stoppedAtMaxDeletes };
  }
  const now = dependencies.now ?? (() => new Date());
  const at = now().toISOString();
  const entries: PutEventsRequestEntry[] = tally.orphans.map((orphan) =>
    deletionEntry(reconcileDeletion(settings.userPoolId, orphan, at), settings.target),
  );
  const failed = await publishAll(dependencies.eventBridge, entries, settings.maxAttempts ?? 5);
  tally.repaired += entries.length - failed;
  tally.failed += failed;
  tally.orphans = [];
  return { deleted: entries.length - failed, stoppedAtMaxDeletes };
};
