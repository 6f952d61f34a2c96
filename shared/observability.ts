import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ServiceLogger, ServiceMetrics } from './observabilityPorts.js';
import { pipeline } from './pipeline.js';

/**
 * The log levels the services accept in `POWERTOOLS_LOG_LEVEL`, the one list the stack's
 * `logLevel` prop and the local stack check against.
 */
export const SERVICE_LOG_LEVELS = [
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'SILENT',
] as const satisfies readonly LogLevel[];

/** A level of {@link SERVICE_LOG_LEVELS}. */
export type ServiceLogLevel = (typeof SERVICE_LOG_LEVELS)[number];

/** The level of a deployed service when none is configured (Powertools' own default). */
export const DEFAULT_LOG_LEVEL: ServiceLogLevel = 'INFO';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /**
   * The level (the local stack and the CLI set theirs).
   * @default - `POWERTOOLS_LOG_LEVEL`, else `INFO`
   */
  readonly logLevel?: LogLevel;
}

/**
 * The structured JSON logger of a service (Powertools). Level from `POWERTOOLS_LOG_LEVEL`
 * (default `INFO`) unless given. Log attribute values never: log ids and counts.
 *
 * @param serviceName - the service's name, e.g. `post-authentication`.
 */
export const createLogger = (serviceName: string, options: CreateLoggerOptions = {}): Logger =>
  new Logger({
    serviceName,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    persistentKeys: { product: 'cognito-hasura-sync' },
  });

/**
 * The CloudWatch EMF metrics of a service (Powertools), namespace
 * `POWERTOOLS_METRICS_NAMESPACE` or `CognitoHasuraSync`.
 *
 * @param serviceName - the service's name; also the `service` dimension.
 */
export const createMetrics = (serviceName: string): Metrics =>
  new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? pipeline.metricsNamespace,
    serviceName,
  });

/**
 * Options of Powertools' `injectLambdaContext` in every handler: the request id on each line,
 * keys reset between invocations, and `logEvent: false`, which wins over
 * `POWERTOOLS_LOGGER_LOG_EVENT`: every trigger and batch holds attribute values.
 */
export const LAMBDA_LOGGER_OPTIONS = { resetKeys: true, logEvent: false } as const;

/**
 * The logger and metrics of a composed service: those given, else the service's Powertools
 * ones. Every composition root takes its observability through this one default.
 *
 * @example
 * const { logger, metrics } = serviceObservability('user-sync', options);
 */
export const serviceObservability = (
  serviceName: string,
  given: { readonly logger?: ServiceLogger; readonly metrics?: ServiceMetrics },
): { logger: ServiceLogger; metrics: ServiceMetrics } => ({
  logger: given.logger ?? createLogger(serviceName),
  metrics: given.metrics ?? createMetrics(serviceName),
});
