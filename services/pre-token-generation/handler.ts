/**
 * Lambda entry point of the Cognito pre token generation trigger: the trigger that
 * `composePreTokenGeneration` builds once per container, at cold start (a bad variable throws
 * here, naming it), wrapped in what the other functions' middy chains do.
 *
 * The one function without middy: Cognito waits for this trigger on every sign-in and every
 * token refresh, so its module initialisation is sign-in latency. `@middy/core` imports
 * `node:stream`, `node:stream/promises` and `node:stream/web` (for response streaming, which a
 * Cognito trigger never uses): about 5 ms of a cold start otherwise about 30 ms long
 * (`npm run bench`, section "cold start"). The wrapper below does what `injectLambdaContext`
 * (with `LAMBDA_LOGGER_OPTIONS`) and a metrics flush do around each invocation.
 */
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composePreTokenGeneration, PRE_TOKEN_GENERATION_SERVICE } from './compose.js';

const logger = createLogger(PRE_TOKEN_GENERATION_SERVICE);
const metrics = createMetrics(PRE_TOKEN_GENERATION_SERVICE);
const preTokenGeneration = composePreTokenGeneration({ env: process.env, logger, metrics });

/**
 * The Cognito pre token generation trigger (event versions 1, 2 and 3). Configure the user
 * pool's `PreTokenGenerationConfig` with this function; see docs/pre-token-generation.md for
 * the matching `HASURA_GRAPHQL_JWT_SECRET`. Every log line carries the invocation's Lambda
 * context (request id, function, cold start); the event itself is never logged
 * (`LAMBDA_LOGGER_OPTIONS.logEvent`). Metrics are flushed only when the invocation recorded one:
 * Powertools' `logMetrics` warns on every invocation without metrics, and almost every token
 * event has none.
 */
export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  logger.refreshSampleRateCalculation();
  logger.addContext(context);
  try {
    return await preTokenGeneration.handler(event);
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.clearBuffer();
    if (LAMBDA_LOGGER_OPTIONS.resetKeys) logger.resetKeys();
  }
};
