import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import type { ComposedReconcile } from './compose.js';
import type { ReconcileReport } from './reconcilePool.js';
import {
  finishStep,
  type PartitionOutput,
  reconcilePartitionStep,
  ScheduledReconcileInputSchema,
} from './scheduledSteps.js';

/** The scheduled job's handler: one partition, or the last step. */
export type ScheduledReconcileHandler = (
  event: unknown,
) => Promise<PartitionOutput | ReconcileReport>;

/**
 * Builds the handler the state machine invokes: parses the input (a bad one throws, failing the
 * state), then runs one partition or the last step with the composed dependencies.
 */
export const createScheduledReconcileHandler =
  (
    reconcile: Pick<ComposedReconcile, 'dependencies' | 'settings'>,
    observability: { readonly logger: ServiceLogger; readonly metrics: ServiceMetrics },
  ): ScheduledReconcileHandler =>
  async (event) => {
    const input = ScheduledReconcileInputSchema.parse(event);
    if (input.step === 'partition') {
      const output = await reconcilePartitionStep(
        reconcile.dependencies,
        reconcile.settings,
        input.prefix,
      );
      observability.logger.info('reconcile partition', {
        prefix: output.prefix,
        complete: output.complete,
        counts: output.tally.counts,
      });
      return output;
    }
    return finishStep(reconcile.dependencies, reconcile.settings, input, observability);
  };
