/**
 * Lambda entry point of the Cognito post-authentication trigger. Everything is built once per
 * container, at cold start: a missing or invalid variable throws here, naming it.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { createLogger, createMetrics } from '../../shared/observability.js';
import { loadPostAuthenticationConfig } from './config.js';
import { createPublishClients } from './createPublishClients.js';
import { createPostAuthenticationHandler } from './postAuthentication.js';

const SERVICE_NAME = 'post-authentication';

const config = loadPostAuthenticationConfig(process.env);
const logger = createLogger(SERVICE_NAME);
const metrics = createMetrics(SERVICE_NAME);
const postAuthentication = createPostAuthenticationHandler({
  config,
  clients: createPublishClients({ region: config.region, budgetMs: config.budgetMs }),
  logger,
  metrics,
});

/**
 * The Lambda handler: resolves to the Cognito event unchanged, so the sign-in always proceeds.
 * Powertools adds the Lambda request id to every log line and flushes the EMF metrics.
 */
export const handler = middy(
  (
    event: PostAuthenticationTriggerEvent,
    context: Context,
  ): Promise<PostAuthenticationTriggerEvent> => postAuthentication(event, context),
)
  // logEvent: false wins over POWERTOOLS_LOGGER_LOG_EVENT: the event holds attribute values.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
