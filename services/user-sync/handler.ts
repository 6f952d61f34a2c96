import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { createAdminSecretProvider } from '../../shared/hasura/adminSecretProvider.js';
import { createHasuraClient } from '../../shared/hasura/createHasuraClient.js';
import { createLogger, createMetrics } from '../../shared/observability.js';
import { loadUserSyncConfig } from './config.js';
import { createUserSyncHandler } from './createUserSyncHandler.js';

// Module scope: built once per container, reused by every invocation (keep-alive, cached secret).
const config = loadUserSyncConfig(process.env);
const logger = createLogger('user-sync');
const metrics = createMetrics('user-sync');
const adminSecret = createAdminSecretProvider(
  config.adminSecret,
  config.adminSecret.kind === 'secretsManager' ? new SecretsManagerClient({}) : undefined,
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
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
