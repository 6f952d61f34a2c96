/**
 * Lambda entry point of the Cognito pre token generation trigger: the middy chain around the
 * trigger that `composePreTokenGeneration` builds once per container, at cold start (a bad
 * variable throws here, naming it).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composePreTokenGeneration, PRE_TOKEN_GENERATION_SERVICE } from './compose.js';

const logger = createLogger(PRE_TOKEN_GENERATION_SERVICE);
const metrics = createMetrics(PRE_TOKEN_GENERATION_SERVICE);
const preTokenGeneration = composePreTokenGeneration({ env: process.env, logger, metrics });

/**
 * Flushes metrics only when the invocation recorded one. Powertools' `logMetrics` warns on
 * every invocation without metrics, and almost every token event has none.
 */
const publishRecordedMetrics = (target: Metrics): MiddlewareObj => {
  const flush = (): void => {
    if (target.hasStoredMetrics()) target.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

/**
 * The Cognito pre token generation trigger (event versions 1, 2 and 3). Configure the user
 * pool's `PreTokenGenerationConfig` with this function; see docs/pre-token-generation.md for
 * the matching `HASURA_GRAPHQL_JWT_SECRET`.
 */
export const handler = middy(
  (event: unknown, _context: Context): Promise<unknown> => preTokenGeneration.handler(event),
)
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(publishRecordedMetrics(metrics));
