import { beforeEach, describe, expect, it } from '@jest/globals';
import { createScheduledReconcileHandler } from '../../../services/reconcile/createScheduledReconcileHandler.js';
import type { ReconcileReport } from '../../../services/reconcile/reconcilePool.js';
import type { PartitionOutput } from '../../../services/reconcile/scheduledSteps.js';
import { MetricName } from '../../../shared/metricNames.js';
import { useReconcileMocks } from '../../helpers/reconcileMocks.js';
import { fakeUser, rowOf } from '../../helpers/reconcileWorld.js';

const STARTED = '2026-12-01T00:00:00.000Z';

describe('Function: createScheduledReconcileHandler', () => {
  const mocks = useReconcileMocks();
  let metrics: Array<[string, number]>;
  let logged: string[];

  beforeEach(() => {
    metrics = [];
    logged = [];
  });

  const handler = (maxDeletes: number) => {
    const record = (message: string) => logged.push(message);
    return createScheduledReconcileHandler(
      { dependencies: mocks.dependencies(), settings: mocks.settings({ maxDeletes }) },
      {
        logger: { debug: record, info: record, warn: record, error: record },
        metrics: {
          addMetric: (name, _unit, value) => metrics.push([name, value]),
          singleMetric: () => {
            throw new Error('not used');
          },
        },
      },
    );
  };

  /** Runs every partition as the Map does, then the last step. */
  const run = async (maxDeletes: number) => {
    const reconcile = handler(maxDeletes);
    const partitions: PartitionOutput[] = [];
    for (const prefix of [...'0123456789abcdef']) {
      partitions.push(
        (await reconcile({ step: 'partition', prefix, startedAt: STARTED })) as PartitionOutput,
      );
    }
    const deletionsBeforeFinish = mocks.published.filter(
      (e) => e.DetailType === 'UserDeleted',
    ).length;
    const report = (await reconcile({
      step: 'finish',
      startedAt: STARTED,
      partitions,
    })) as ReconcileReport;
    return { partitions, report, deletionsBeforeFinish };
  };

  it('repairs per partition, deletes only in the last step, and emits one metric per class', async () => {
    // Prepare
    for (let n = 0; n < 400; n += 1) {
      mocks.pool.add(fakeUser(n));
      if (n % 50 !== 0) mocks.table.put(rowOf(fakeUser(n)));
    }
    for (let n = 0; n < 3; n += 1) mocks.table.put(rowOf(fakeUser(n, 'gone')));

    // Act
    const { report, deletionsBeforeFinish } = await run(10);

    // Assess
    expect(deletionsBeforeFinish).toBe(0);
    expect(report.counts).toEqual({ inStep: 392, missing: 8, stale: 0, orphaned: 3 });
    expect(report).toMatchObject({ deleted: 3, stoppedAtMaxDeletes: false, complete: true });
    expect(mocks.published.filter((e) => e.DetailType === 'UserUpdated')).toHaveLength(8);
    expect(metrics).toEqual(
      expect.arrayContaining([
        [MetricName.ReconcileMissing, 8],
        [MetricName.ReconcileOrphaned, 3],
        [MetricName.ReconcileDrift, 11],
        [MetricName.ReconcileStoppedAtMaxDeletes, 0],
      ]),
    );
    expect(logged).toContain('reconcile report');
  });

  it('deletes nothing when the partitions together exceed maxDeletes', async () => {
    // Prepare: 2 orphans per partition on average, 32 in all.
    for (let n = 0; n < 32; n += 1) mocks.table.put(rowOf(fakeUser(n, 'other-pool')));

    // Act
    const { report } = await run(5);

    // Assess
    expect(report.stoppedAtMaxDeletes).toBe(true);
    expect(report.deleted).toBe(0);
    expect(mocks.published.filter((e) => e.DetailType === 'UserDeleted')).toEqual([]);
    expect(metrics).toContainEqual([MetricName.ReconcileStoppedAtMaxDeletes, 1]);
  });

  it('refuses an input that is neither step', async () => {
    // Act, Assess
    await expect(
      handler(1)({ step: 'partition', prefix: 'xyz', startedAt: STARTED }),
    ).rejects.toThrow();
  });
});
