import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics } from '../../shared/observability.js';
import { readPreTokenGenerationConfig } from './config.js';
import { createPreTokenGenerationHandler } from './createPreTokenGenerationHandler.js';

const serviceName = 'pre-token-generation';

// Built once per container; a bad variable fails the cold start, naming the variable.
const config = readPreTokenGenerationConfig(process.env);
const logger = createLogger(serviceName);
const metrics = createMetrics(serviceName);
const addClaims = createPreTokenGenerationHandler(config, { logger, metrics });

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
export const handler = middy((event: unknown, _context: Context) => addClaims(event))
  // logEvent: false wins over POWERTOOLS_LOGGER_LOG_EVENT: the event holds attribute values.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(publishRecordedMetrics(metrics));
