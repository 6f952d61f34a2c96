/**
 * Lambda entry point of the user-lifecycle consumer: the middy chain around the consumer that
 * `composeUserLifecycle` builds once per container, at cold start (a missing or invalid variable
 * throws here, naming it).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composeUserLifecycle, USER_LIFECYCLE_SERVICE } from './compose.js';

const logger = createLogger(USER_LIFECYCLE_SERVICE);
const metrics = createMetrics(USER_LIFECYCLE_SERVICE);
const userLifecycle = composeUserLifecycle({ env: process.env, logger, metrics });

/**
 * The user-lifecycle Lambda: SQS event source of the lifecycle queue with
 * `ReportBatchItemFailures`. Re-reads each hinted user in Cognito, publishes the lifecycle
 * events and returns the message ids to redeliver.
 */
export const handler = middy(
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    userLifecycle.handler(event, context),
)
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
