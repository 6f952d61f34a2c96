import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';

/** A log line captured by {@link recordingLogger}. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: unknown[];
}

/** A logger that records what the consumer logs. */
export const recordingLogger = (): ServiceLogger & { lines: LoggedLine[] } => {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (message: unknown, ...extra: unknown[]): void => {
      lines.push({ level, message: String(message), extra });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

/** A metric data point captured by {@link recordingMetrics}. */
export interface MetricPoint {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly dimensions: Record<string, string>;
}

/** Metrics that record every data point (and the dimensions of single metrics). */
export const recordingMetrics = (): ServiceMetrics & {
  points: MetricPoint[];
  sum(name: string, dimensions?: Record<string, string>): number;
} => {
  const points: MetricPoint[] = [];
  return {
    points,
    addMetric(name, unit, value) {
      points.push({ name, unit, value, dimensions: {} });
    },
    singleMetric() {
      const dimensions: Record<string, string> = {};
      return {
        addDimension(name: string, value: string) {
          dimensions[name] = value;
        },
        addMetric(name: string, unit: string, value: number) {
          points.push({ name, unit, value, dimensions: { ...dimensions } });
        },
      };
    },
    sum(name, dimensions = {}) {
      return points
        .filter(
          (point) =>
            point.name === name &&
            Object.entries(dimensions).every(([key, value]) => point.dimensions[key] === value),
        )
        .reduce((total, point) => total + point.value, 0);
    },
  };
};
