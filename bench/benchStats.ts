import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type LatencySummary as SeriesSummary, summarizeLatencies } from '../cli/latencySummary.js';

/**
 * Small measuring helpers shared by the benchmarks and the fault scenarios: percentiles, a
 * peak-RSS sampler, a bounded-concurrency runner and a wall/CPU stopwatch.
 */

/** Percentiles of a list of durations (ms), and their mean. */
export interface LatencySummary extends SeriesSummary {
  readonly mean: number;
}

/**
 * Summarises durations (ms) into p50 / p99 / max (the CLI's nearest-rank summary) and mean,
 * rounded to 0.01 ms.
 *
 * @param values - the durations, in any order (not modified).
 */
export const summarize = (values: readonly number[]): LatencySummary => {
  const { count, p50, p99, max } = summarizeLatencies(values);
  const total = values.reduce((sum, value) => sum + value, 0);
  return {
    count,
    p50: round(p50, 2),
    p99: round(p99, 2),
    max: round(max, 2),
    mean: round(count === 0 ? 0 : total / count, 2),
  };
};

/** Samples this process's resident set size while a measurement runs. */
export interface RssSampler {
  /** Stops sampling and returns the peak RSS seen, in MiB. */
  stop(): number;
}

/**
 * Starts sampling `process.memoryUsage.rss()` every `intervalMs`.
 *
 * @param intervalMs - sampling period.
 * @default intervalMs 25
 */
export const sampleRss = (intervalMs = 25): RssSampler => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return Math.round(peak / 1024 / 102.4) / 10;
    },
  };
};

/** Wall time and this process's CPU time of one measured run. */
export interface Stopwatch {
  /** Milliseconds of wall time since start. */
  wallMs(): number;
  /** Milliseconds of CPU (user + system) this process used since start. */
  cpuMs(): number;
}

/** Starts a {@link Stopwatch}. */
export const startStopwatch = (): Stopwatch => {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  return {
    wallMs: () => performance.now() - wallStart,
    cpuMs: () => {
      const used = process.cpuUsage(cpuStart);
      return (used.user + used.system) / 1000;
    },
  };
};

/**
 * Runs `work` for every item with at most `concurrency` calls in flight, in item order.
 *
 * @param items - the inputs.
 * @param concurrency - the maximum number of unfinished calls.
 * @param work - the async step; its rejections propagate (the run stops starting new items).
 */
export const runWithConcurrency = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
};

/**
 * Splits `items` into consecutive chunks of `size` (the last one may be shorter).
 *
 * @param items - the list.
 * @param size - the chunk length, at least 1.
 */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
};

let gcFunction: (() => void) | undefined;

/**
 * Runs a full garbage collection (without `--expose-gc` on the command line), so one
 * measurement does not pay for the garbage of the previous one.
 */
export const collectGarbage = (): void => {
  if (gcFunction === undefined) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
};

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Rounds to `digits` decimals (for figures written to results.json). */
export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
