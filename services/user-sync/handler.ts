import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createAdminSecretProvider } from '../../shared/hasura/adminSecretProvider.js';
import { createHasuraClient } from '../../shared/hasura/createHasuraClient.js';
import { createLogger, createMetrics } from '../../shared/observability.js';
import { loadUserSyncConfig } from './config.js';
import { createUserSyncHandler } from './createUserSyncHandler.js';

// Module scope: built once per container, reused by every invocation (keep-alive, cached secret).
const config = loadUserSyncConfig(process.env);
const logger = createLogger('user-sync');
const metrics = createMetrics('user-sync');
// Bounded like every other call of the batch: a Secrets Manager that hangs (e.g. a VPC without
// an endpoint for it) must fail and be fetched again, not stay pending for the container's life.
const secretsManager = (): SecretsManagerClient =>
  new SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2000,
      requestTimeout: 3000,
      throwOnRequestTimeout: true,
    }),
  });
const adminSecret = createAdminSecretProvider(
  config.adminSecret,
  config.adminSecret.kind === 'secretsManager' ? secretsManager() : undefined,
);
const hasura = createHasuraClient({
  endpoint: config.hasuraEndpoint,
  adminSecret,
  timeoutMs: config.requestTimeoutMs,
});

/**
 * The user-sync Lambda: SQS event source with `ReportBatchItemFailures`. Upserts the newest
 * login event of each user into Hasura and returns the message ids to redeliver.
 */
export const handler = middy(createUserSyncHandler({ config, hasura, logger, metrics }))
  // logEvent: false wins over POWERTOOLS_LOGGER_LOG_EVENT: the event holds attribute values.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
