import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The logger calls a service makes: the port every service depends on. Powertools `Logger`
 * implements it in Lambda and in the local stack; tests pass recording doubles. Services log
 * ids and counts, never attribute values or secrets.
 */
export type ServiceLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** A CloudWatch metric unit (`Count`, `Milliseconds`, …), as Powertools spells it. */
export type MetricUnitValue = (typeof MetricUnit)[keyof typeof MetricUnit];

/** A metric with dimensions of its own, flushed on its own (Powertools' `singleMetric()`). */
export interface ServiceSingleMetric {
  addDimension(name: string, value: string): unknown;
  addMetric(name: string, unit: MetricUnitValue, value: number): unknown;
}

/**
 * The metrics calls a service makes: the port every service depends on. Powertools `Metrics`
 * implements it in Lambda (EMF), `RecordingMetrics` in the local stack and the CLI (running
 * totals); tests pass recording doubles.
 */
export interface ServiceMetrics {
  addMetric(name: string, unit: MetricUnitValue, value: number): unknown;
  singleMetric(): ServiceSingleMetric;
}
