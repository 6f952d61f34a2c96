import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { MetricName } from '../../shared/metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { finishRun } from './finishRun.js';
import {
  listPartition,
  newCursor,
  type ReconcileDependencies,
  type ReconcileSettings,
  scanOrphans,
} from './reconcilePartition.js';
import { type ReconcileReport, toReport } from './reconcilePool.js';
import { emptyTally, mergeTallies, type ReconcileTally } from './tally.js';

const count = z.number().check(z.int(), z.nonnegative());
const subs = z.array(z.string());

/** A partition's tally as it travels through Step Functions (plain JSON). */
const TallySchema = z.object({
  counts: z.object({ inStep: count, missing: count, stale: count, orphaned: count }),
  tombstoned: count,
  staleFields: z.record(z.string(), count),
  repaired: count,
  failed: count,
  samples: z.object({ missing: subs, stale: subs, orphaned: subs, tombstoned: subs }),
  orphans: z.array(z.object({ sub: z.string(), username: z.nullable(z.string()) })),
  pages: count,
  cognitoCalls: count,
});

/** What the state machine's Map passes to each iteration. */
export const PartitionInputSchema = z.object({
  step: z.literal('partition'),
  prefix: z.string().check(z.regex(/^[0-9a-f]{0,2}$/, 'a prefix of 0-2 hex digits')),
  startedAt: z.iso.datetime(),
});

/** One partition's outcome, the Map's output item. */
export interface PartitionOutput {
  readonly prefix: string;
  /** False when the partition stopped early (more orphans than the run may delete). */
  readonly complete: boolean;
  readonly tally: ReconcileTally;
}

/** What the state machine passes to the last step: every partition's output. */
export const FinishInputSchema = z.object({
  step: z.literal('finish'),
  startedAt: z.iso.datetime(),
  partitions: z.array(z.object({ prefix: z.string(), complete: z.boolean(), tally: TallySchema })),
});

/** Any input of the scheduled job's Lambda. */
export const ScheduledReconcileInputSchema = z.discriminatedUnion('step', [
  PartitionInputSchema,
  FinishInputSchema,
]);

/** A parsed input. */
export type ScheduledReconcileInput = z.infer<typeof ScheduledReconcileInputSchema>;

/**
 * One iteration of the state machine's Map: lists a partition of the sub space (repairing
 * missing and stale users page by page) and scans its live rows for orphans, which it returns
 * (at most `maxDeletes + 1`) instead of deleting: only the last step, which sees every
 * partition, may delete. Memory: the partition's listed subs.
 */
export const reconcilePartitionStep = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  prefix: string,
): Promise<PartitionOutput> => {
  const tally = emptyTally();
  const cursor = newCursor();
  await listPartition(dependencies, settings, prefix, cursor, tally);
  const complete = await scanOrphans(dependencies, settings, prefix, cursor.seen, tally);
  return { prefix, complete, tally };
};

/**
 * The state machine's last step: merges the partitions, publishes the deletions when the whole
 * run found at most `maxDeletes` orphans, emits one metric per drift class and logs the report
 * (the operator finds it in this function's log group and in the execution's output).
 */
export const finishStep = async (
  dependencies: Pick<ReconcileDependencies, 'eventBridge' | 'now'>,
  settings: ReconcileSettings,
  input: z.infer<typeof FinishInputSchema>,
  observability: { readonly logger: ServiceLogger; readonly metrics: ServiceMetrics },
): Promise<ReconcileReport> => {
  const tally = emptyTally();
  for (const partition of input.partitions) {
    mergeTallies(tally, partition.tally, settings.maxDeletes + 1);
  }
  const outcome = await finishRun(dependencies, settings, tally);
  const now = dependencies.now ?? (() => new Date());
  const report = toReport(settings, tally, {
    ...outcome,
    complete: !outcome.stoppedAtMaxDeletes && input.partitions.every((p) => p.complete),
    interrupted: false,
    partitions: {
      prefixLength: input.partitions[0]?.prefix.length ?? 0,
      done: input.partitions.length,
      total: input.partitions.length,
    },
    startedAt: input.startedAt,
    finishedAt: now(),
  });
  const { metrics, logger } = observability;
  const { counts } = report;
  metrics.addMetric(MetricName.ReconcileInStep, MetricUnit.Count, counts.inStep);
  metrics.addMetric(MetricName.ReconcileMissing, MetricUnit.Count, counts.missing);
  metrics.addMetric(MetricName.ReconcileStale, MetricUnit.Count, counts.stale);
  metrics.addMetric(MetricName.ReconcileOrphaned, MetricUnit.Count, counts.orphaned);
  metrics.addMetric(
    MetricName.ReconcileDrift,
    MetricUnit.Count,
    counts.missing + counts.stale + counts.orphaned,
  );
  metrics.addMetric(
    MetricName.ReconcileStoppedAtMaxDeletes,
    MetricUnit.Count,
    report.stoppedAtMaxDeletes ? 1 : 0,
  );
  const log = report.stoppedAtMaxDeletes || report.failed > 0 ? logger.error : logger.info;
  log.call(logger, 'reconcile report', { report });
  return report;
};
