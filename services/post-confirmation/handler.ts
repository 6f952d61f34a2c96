/**
 * Lambda entry point of the Cognito post-confirmation trigger: the middy chain around the
 * trigger that `composePostConfirmation` builds once per container, at cold start (a missing
 * or invalid variable throws here, naming it).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composePostConfirmation, POST_CONFIRMATION_SERVICE } from './compose.js';

const logger = createLogger(POST_CONFIRMATION_SERVICE);
const metrics = createMetrics(POST_CONFIRMATION_SERVICE);
const postConfirmation = composePostConfirmation({ env: process.env, logger, metrics });

/**
 * The Lambda handler: resolves to the Cognito event unchanged, so the confirmation always proceeds.
 * Powertools adds the Lambda request id to every log line and flushes the EMF metrics.
 */
export const handler = middy(
  (event: PostConfirmationTriggerEvent, context: Context): Promise<PostConfirmationTriggerEvent> =>
    postConfirmation.handler(event, context),
)
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
