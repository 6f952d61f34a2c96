/** Summary statistics of a series of milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The `q`-quantile (0–1) of `values` by the nearest-rank method; 0 for an empty series.
 *
 * @example
 * percentile([5, 1, 3], 0.5); // 3
 */
export const percentile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
};

/** p50, p99 and max of a series. */
export const summarizeLatencies = (values: readonly number[]): LatencySummary => ({
  count: values.length,
  p50: percentile(values, 0.5),
  p99: percentile(values, 0.99),
  max: values.reduce((max, value) => Math.max(max, value), 0),
});
