import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricResolution, MetricUnit } from '@aws-lambda-powertools/metrics/types';
import { pipeline } from './pipeline.js';

/** Sums of the metrics recorded by every {@link RecordingMetrics} sharing it, by metric name. */
export class MetricTotals {
  readonly #totals = new Map<string, number>();

  /** Adds `value` to the total of `name`. */
  public add(name: string, value: number): void {
    this.#totals.set(name, (this.#totals.get(name) ?? 0) + value);
  }

  /** The total of `name` so far (0 when never recorded). */
  public get(name: string): number {
    return this.#totals.get(name) ?? 0;
  }

  /** Every total, by name. */
  public snapshot(): Record<string, number> {
    return Object.fromEntries(this.#totals);
  }
}

/** Options of {@link RecordingMetrics}. */
export interface RecordingMetricsOptions {
  readonly serviceName: string;
  /** @default pipeline.metricsNamespace */
  readonly namespace?: string;
  /** Where the totals go; share one between a service's metrics and its single metrics. */
  readonly totals: MetricTotals;
  /**
   * Also print the CloudWatch EMF lines to stdout, as in Lambda.
   * @default false - the local stack shows totals on its own terminal line instead
   */
  readonly emit?: boolean;
  /** @internal set by {@link RecordingMetrics.singleMetric} */
  readonly singleMetric?: boolean;
}

/**
 * Powertools `Metrics` that also keeps running totals per metric name: an implementation of the
 * services' `ServiceMetrics` port with which the local stack and the CLI's `simulate`
 * report what the services counted (events published, fallbacks, Hasura requests) through the
 * very calls they make in Lambda. EMF output is off by default: in-process handlers are never
 * flushed by the Lambda middleware, and thousands of EMF lines would bury the progress line.
 */
export class RecordingMetrics extends Metrics {
  readonly #totals: MetricTotals;
  readonly #emit: boolean;
  readonly #options: RecordingMetricsOptions;

  public constructor(options: RecordingMetricsOptions) {
    super({
      serviceName: options.serviceName,
      namespace: options.namespace ?? pipeline.metricsNamespace,
      ...(options.singleMetric === true ? { singleMetric: true } : {}),
    });
    this.#totals = options.totals;
    this.#emit = options.emit ?? false;
    this.#options = options;
  }

  public override addMetric(
    name: string,
    unit: MetricUnit,
    value: number,
    resolution?: MetricResolution,
  ): this {
    this.#totals.add(name, value);
    return super.addMetric(name, unit, value, resolution);
  }

  public override singleMetric(): Metrics {
    return new RecordingMetrics({ ...this.#options, singleMetric: true });
  }

  public override publishStoredMetrics(): this {
    if (this.#emit) return super.publishStoredMetrics();
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}
