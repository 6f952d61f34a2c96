/**
 * Lambda entry point of the Cognito post-authentication trigger: the middy chain around the
 * trigger that `composePostAuthentication` builds once per container, at cold start (a missing
 * or invalid variable throws here, naming it).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composePostAuthentication, POST_AUTHENTICATION_SERVICE } from './compose.js';

const logger = createLogger(POST_AUTHENTICATION_SERVICE);
const metrics = createMetrics(POST_AUTHENTICATION_SERVICE);
const postAuthentication = composePostAuthentication({ env: process.env, logger, metrics });

/**
 * The Lambda handler: resolves to the Cognito event unchanged, so the sign-in always proceeds.
 * Powertools adds the Lambda request id to every log line and flushes the EMF metrics.
 */
export const handler = middy(
  (
    event: PostAuthenticationTriggerEvent,
    context: Context,
  ): Promise<PostAuthenticationTriggerEvent> => postAuthentication.handler(event, context),
)
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
