import { readFileSync } from 'node:fs';
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { MetricName } from '../../shared/metricNames.js';
import { pipeline } from '../../shared/pipeline.js';
import { percentile } from '../latencySummary.js';
import type { PipelineCounters, PipelineSeries, Point } from './consoleModel.js';

/** Where the charts come from. */
export interface SeriesSource {
  series(): Promise<PipelineSeries>;
  /** Running totals, where the source has them (the local stack). */
  counters(): Promise<PipelineCounters>;
}

/** What a local stack reports at each sample: its running totals and the lags seen since. */
export interface LocalSample {
  readonly counters: PipelineCounters;
  /** Sync lags (ms) of the records written since the previous sample. */
  readonly newLagsMs: readonly number[];
}

const HOUR_MS = 3600_000;

/**
 * Samples a local stack's counters every `intervalMs` and keeps the last hour as chart series:
 * per sample the p50 and p99 of the lags seen since the previous one, and rows written per
 * minute. The local stack runs it in-process (`npm start` serves the console from it) and may
 * write {@link LocalSeriesSampler.toJson} to a file for a console in another process.
 *
 * @default intervalMs - 5000
 */
export interface LocalSeriesSampler extends SeriesSource {
  /** Takes one sample now (the timer calls it; tests call it directly). */
  sample(nowMs?: number): void;
  /** The current series and counters as JSON. */
  toJson(): string;
  stop(): void;
}

/** Builds a {@link LocalSeriesSampler}. */
export const createLocalSeriesSampler = (
  read: () => LocalSample,
  options: { intervalMs?: number; autoStart?: boolean } = {},
): LocalSeriesSampler => {
  const intervalMs = options.intervalMs ?? 5000;
  const p50: Point[] = [];
  const p99: Point[] = [];
  const throughput: Point[] = [];
  let counters: PipelineCounters = {};
  let last: { at: number; rows: number } | undefined;
  const trim = (points: Point[], now: number): void => {
    while (points.length > 0 && (points[0]?.[0] ?? now) < now - HOUR_MS) points.shift();
  };
  const sampler: LocalSeriesSampler = {
    sample(nowMs = Date.now()) {
      const { counters: current, newLagsMs } = read();
      counters = current;
      const rows = current.rowsWritten ?? 0;
      if (newLagsMs.length > 0) {
        p50.push([nowMs, percentile(newLagsMs, 0.5)]);
        p99.push([nowMs, percentile(newLagsMs, 0.99)]);
      }
      if (last !== undefined && nowMs > last.at) {
        throughput.push([nowMs, ((rows - last.rows) * 60_000) / (nowMs - last.at)]);
      }
      last = { at: nowMs, rows };
      for (const points of [p50, p99, throughput]) trim(points, nowMs);
    },
    async series() {
      return {
        source: "the local stack's own counters",
        lagP50Ms: [...p50],
        lagP99Ms: [...p99],
        throughputPerMinute: [...throughput],
      };
    },
    async counters() {
      return counters;
    },
    toJson() {
      return JSON.stringify({ counters, p50, p99, throughput });
    },
    stop() {
      clearInterval(timer);
    },
  };
  const timer = setInterval(() => sampler.sample(), intervalMs);
  timer.unref();
  if (options.autoStart === false) clearInterval(timer);
  return sampler;
};

/** The series a local stack in another process wrote with {@link LocalSeriesSampler.toJson}. */
export const fileSeriesSource = (path: string): SeriesSource => {
  const read = (): {
    counters: PipelineCounters;
    p50: Point[];
    p99: Point[];
    throughput: Point[];
  } => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return { counters: {}, p50: [], p99: [], throughput: [] };
    }
  };
  return {
    async series() {
      const data = read();
      return {
        source: `the local stack's counters (${path})`,
        lagP50Ms: data.p50,
        lagP99Ms: data.p99,
        throughputPerMinute: data.throughput,
      };
    },
    async counters() {
      return read().counters;
    },
  };
};

/** The local stack's series file, beside its reason log. */
export const LOCAL_SERIES_FILE = '.local-state/console-series.json';

/**
 * A deployed stack's series: one `GetMetricData` call for the last hour of the consumer's EMF
 * metrics (`SyncLag` p50 and p99, `UsersSynced` per minute) and the publish counters.
 */
export const cloudWatchSeriesSource = (
  cloudWatch: CloudWatchClient,
  options: { namespace?: string } = {},
): SeriesSource => {
  const namespace = options.namespace ?? pipeline.metricsNamespace;
  const metric = (id: string, name: string, service: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: namespace,
        MetricName: name,
        Dimensions: [{ Name: 'service', Value: service }],
      },
      Period: 60,
      Stat: stat,
    },
  });
  let lastCounters: PipelineCounters = {};
  return {
    async series() {
      const end = new Date();
      const start = new Date(end.getTime() - HOUR_MS);
      const answer = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            metric('p50', MetricName.SyncLag, 'user-sync', 'p50'),
            metric('p99', MetricName.SyncLag, 'user-sync', 'p99'),
            metric('rows', MetricName.UsersSynced, 'user-sync', 'Sum'),
            metric('published', MetricName.Published, 'post-authentication', 'Sum'),
            metric('fallback', MetricName.FallbackUsed, 'post-authentication', 'Sum'),
            metric('failed', MetricName.PublishFailed, 'post-authentication', 'Sum'),
          ],
        }),
      );
      const points = (id: string): Point[] => {
        const result = answer.MetricDataResults?.find((item) => item.Id === id);
        const times = result?.Timestamps ?? [];
        const values = result?.Values ?? [];
        return times.map((time, index) => [time.getTime(), values[index] ?? 0] as const);
      };
      const sum = (id: string): number => points(id).reduce((total, [, value]) => total + value, 0);
      lastCounters = {
        published: sum('published'),
        fallback: sum('fallback'),
        publishFailed: sum('failed'),
        rowsWritten: sum('rows'),
      };
      return {
        source: `CloudWatch metrics (${namespace}), last hour`,
        lagP50Ms: points('p50'),
        lagP99Ms: points('p99'),
        throughputPerMinute: points('rows'),
      };
    },
    async counters() {
      return lastCounters;
    },
  };
};
