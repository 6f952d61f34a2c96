/**
 * Lambda entry point of the scheduled reconcile: the state machine invokes it once per
 * partition of the sub space (`step: "partition"`) and once at the end (`step: "finish"`).
 * Everything is composed once per container, at cold start.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import { boolean } from '../../shared/env.js';
import { createLogger, createMetrics, LAMBDA_LOGGER_OPTIONS } from '../../shared/observability.js';
import { composeReconcile } from './compose.js';
import { createScheduledReconcileHandler } from './createScheduledReconcileHandler.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const RECONCILE_SERVICE = 'reconcile';

const logger = createLogger(RECONCILE_SERVICE);
const metrics = createMetrics(RECONCILE_SERVICE);
const clientOptions = { maxAttempts: 5 };
const reconcile = composeReconcile({
  env: process.env,
  cognito: new CognitoIdentityProviderClient(clientOptions),
  eventBridge: new EventBridgeClient(clientOptions),
  overrides: { dryRun: boolean(process.env, 'RECONCILE_DRY_RUN', false) },
});

/** The scheduled reconcile's Lambda. */
export const handler = middy(createScheduledReconcileHandler(reconcile, { logger, metrics }))
  .use(injectLambdaContext(logger, LAMBDA_LOGGER_OPTIONS))
  .use(logMetrics(metrics));
