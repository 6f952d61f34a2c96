import type { Env } from '../../shared/env.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  loadTriggerPublishConfig,
  type TriggerPublishConfig,
} from '../../shared/publishing/publishConfig.js';

/**
 * Configuration of the post-authentication trigger, read once at cold start: the variables every
 * publishing trigger reads (`EVENT_BUS_NAME`, `SYNC_QUEUE_URL`, `EVENT_SOURCE`,
 * `PUBLISHED_ATTRIBUTES`, `PUBLISH_BUDGET_MS`, `AWS_REGION`).
 */
export type PostAuthenticationConfig = TriggerPublishConfig;

/**
 * Reads the trigger's configuration from the environment; `PUBLISH_BUDGET_MS` defaults to
 * `pipeline.postAuthentication.budgetMs` (1000).
 *
 * @param env - the environment to read.
 * @default env - `process.env`
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const config = loadPostAuthenticationConfig({
 *   EVENT_BUS_NAME: 'cognito-hasura-sync',
 *   SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
 *   AWS_REGION: 'eu-west-1',
 * });
 */
export const loadPostAuthenticationConfig = (env: Env = process.env): PostAuthenticationConfig =>
  loadTriggerPublishConfig(env, pipeline.postAuthentication.budgetMs);
