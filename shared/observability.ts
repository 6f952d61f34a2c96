import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { pipeline } from './pipeline.js';

/**
 * The structured JSON logger of a service (Powertools). Level from `POWERTOOLS_LOG_LEVEL`
 * (default `INFO`). Log attribute values never: log ids and counts.
 *
 * @param serviceName - the service's name, e.g. `post-authentication`.
 */
export const createLogger = (serviceName: string): Logger =>
  new Logger({ serviceName, persistentKeys: { product: 'cognito-hasura-sync' } });

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
