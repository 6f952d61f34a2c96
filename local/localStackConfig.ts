import { type Env, integer, maybeString, optionalString } from '../shared/env.js';
import { ConfigurationError } from '../shared/errors.js';
import { SERVICE_LOG_LEVELS } from '../shared/observability.js';
import { LOCAL_SETTINGS } from './localSettings.js';
import type { LocalStackOptions } from './stack.js';

/**
 * The local stack's options from the environment (what `npm start` and the CLI's `simulate`
 * use). Every variable is optional:
 * - `AWS_ENDPOINT_URL`: use this AWS endpoint instead of starting moto;
 * - `AWS_REGION`: default `us-east-1`;
 * - `HASURA_GRAPHQL_ENDPOINT` (+ `HASURA_ADMIN_SECRET`): write to an external Hasura;
 * - `DATABASE_URL`: run the embedded engine on this PostgreSQL instead of PGlite;
 *   `DATABASE_SCHEMA` puts the users table in another schema (default `public`);
 * - `HASURA_ADMIN_SECRET`: default `local-admin-secret`;
 * - `LOCAL_VISIBILITY_TIMEOUT_SECONDS`: default 10 (AWS: 180);
 * - `POWERTOOLS_LOG_LEVEL`: the services' log level, default `ERROR` (fallbacks, retries and
 *   failures are counted in the summary; lost events and errors still print).
 * - `USER_POOL_IDS`: the pools whose events the consumer applies; default the simulated pool
 *   (`LOCAL_SETTINGS.simulatedUserPoolId`) and the pool the stack creates in moto;
 * - `EVENT_SOURCE`, `PUBLISHED_ATTRIBUTES`: read by the trigger and the consumer alike, so the two
 *   always agree (as the CDK stack sets both from one prop).
 * The whole environment is also handed to the services, which read their own settings from it.
 *
 * @throws {@link ConfigurationError} naming the variable that is invalid.
 */
export const loadLocalStackOptions = (env: Env): LocalStackOptions => {
  const awsEndpoint = maybeString(env, 'AWS_ENDPOINT_URL');
  const hasuraGraphqlUrl = maybeString(env, 'HASURA_GRAPHQL_ENDPOINT');
  const adminSecret = maybeString(env, 'HASURA_ADMIN_SECRET');
  if (hasuraGraphqlUrl !== undefined && adminSecret === undefined) {
    throw new ConfigurationError(
      'HASURA_ADMIN_SECRET',
      'HASURA_ADMIN_SECRET is not set: give the admin secret of the Hasura at HASURA_GRAPHQL_ENDPOINT',
    );
  }
  const databaseUrl = maybeString(env, 'DATABASE_URL');
  const databaseSchema = maybeString(env, 'DATABASE_SCHEMA');
  const logLevel = optionalString(env, 'POWERTOOLS_LOG_LEVEL', 'ERROR').toUpperCase();
  const level = SERVICE_LOG_LEVELS.find((candidate) => candidate === logLevel);
  if (level === undefined) {
    throw new ConfigurationError(
      'POWERTOOLS_LOG_LEVEL',
      `POWERTOOLS_LOG_LEVEL must be one of ${SERVICE_LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }
  return {
    ...(awsEndpoint === undefined ? {} : { awsEndpoint }),
    region: optionalString(env, 'AWS_REGION', LOCAL_SETTINGS.region),
    ...(hasuraGraphqlUrl === undefined ? {} : { hasuraGraphqlUrl }),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(databaseSchema === undefined ? {} : { databaseSchema }),
    ...(adminSecret === undefined ? {} : { adminSecret }),
    visibilityTimeoutSeconds: integer(
      env,
      'LOCAL_VISIBILITY_TIMEOUT_SECONDS',
      LOCAL_SETTINGS.visibilityTimeoutSeconds,
      { min: 0, max: 43_200 },
    ),
    env,
    logLevel: level,
  };
};
