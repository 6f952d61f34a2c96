import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudWatchSeriesSource } from '../../../../cli/console/pipelineSeries.js';
import { cloudWatchQueueAges } from '../../../../cli/console/pipelineView.js';

describe('Function: cloudWatchSeriesSource', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  beforeEach(() => {
    cloudWatch.reset();
  });

  it("charts the consumer's SyncLag percentiles and UsersSynced per minute from one GetMetricData", async () => {
    // Prepare
    const t0 = new Date('2026-12-08T01:00:00.000Z');
    const t1 = new Date('2026-12-08T01:01:00.000Z');
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'p50', Timestamps: [t0, t1], Values: [120, 140] },
        { Id: 'p99', Timestamps: [t0, t1], Values: [900, 1100] },
        { Id: 'rows', Timestamps: [t0, t1], Values: [3000, 3500] },
        { Id: 'published', Timestamps: [t0], Values: [7000] },
        { Id: 'fallback', Timestamps: [t0], Values: [2] },
        { Id: 'failed', Timestamps: [], Values: [] },
      ],
    });
    const source = cloudWatchSeriesSource(new CloudWatchClient({ region: 'eu-west-1' }));

    // Act
    const series = await source.series();
    const counters = await source.counters();

    // Assess
    expect(series.lagP50Ms).toStrictEqual([
      [t0.getTime(), 120],
      [t1.getTime(), 140],
    ]);
    expect(series.throughputPerMinute.map(([, value]) => value)).toStrictEqual([3000, 3500]);
    expect(counters).toStrictEqual({
      published: 7000,
      fallback: 2,
      publishFailed: 0,
      rowsWritten: 6500,
    });
    const queries =
      cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries.map((query) => query.MetricStat?.Metric?.MetricName)).toEqual(
      expect.arrayContaining([
        'SyncLag',
        'UsersSynced',
        'Published',
        'FallbackUsed',
        'PublishFailed',
      ]),
    );
    expect(queries[0]?.MetricStat?.Metric?.Dimensions).toStrictEqual([
      { Name: 'service', Value: 'user-sync' },
    ]);
  });
});

describe('Function: cloudWatchQueueAges', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  beforeEach(() => {
    cloudWatch.reset();
  });

  it("reads each source queue's ApproximateAgeOfOldestMessage instead of receiving from it", async () => {
    // Prepare
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Values: [42] },
        { Id: 'q1', Values: [] },
      ],
    });
    const ages = cloudWatchQueueAges(new CloudWatchClient({ region: 'eu-west-1' }));

    // Act
    const found = await ages(['sync', 'lifecycle']);

    // Assess
    expect([...found]).toStrictEqual([['sync', 42]]);
    const queries =
      cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries.map((query) => query.MetricStat?.Metric?.MetricName)).toStrictEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateAgeOfOldestMessage',
    ]);
  });
});
