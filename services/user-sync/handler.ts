/**
 * Lambda entry point of the user-sync consumer: the middy chain around the consumer that
 * `composeUserSync` builds once per container, at cold start (a missing or invalid variable
 * throws here, naming it), so every invocation reuses its keep-alive and cached secret.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composeUserSync, USER_SYNC_SERVICE } from './compose.js';

const logger = createLogger(USER_SYNC_SERVICE);
const metrics = createMetrics(USER_SYNC_SERVICE);
const userSync = composeUserSync({ env: process.env, logger, metrics });

/**
 * The user-sync Lambda: SQS event source with `ReportBatchItemFailures`. Upserts the newest
 * login event of each user into Hasura and returns the message ids to redeliver.
 */
export const handler = middy(
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    userSync.handler(event, context),
)
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
