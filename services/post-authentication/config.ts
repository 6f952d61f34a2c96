import { type Env, integer, optionalString, requireString, stringList } from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import {
  COGNITO_ATTRIBUTE_NAME,
  DEFAULT_PUBLISHED_ATTRIBUTES,
} from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { PUBLISH_BUDGET_RANGE } from './publishBudget.js';

/** Configuration of the post-authentication trigger, read once at cold start. */
export interface PostAuthenticationConfig {
  /** Name or ARN of the EventBridge bus (`EVENT_BUS_NAME`, required). */
  readonly eventBusName: string;
  /** URL of the sync queue, the fallback target (`SYNC_QUEUE_URL`, required). */
  readonly syncQueueUrl: string;
  /**
   * `Source` of the published events (`EVENT_SOURCE`).
   *
   * @default pipeline.eventSource
   */
  readonly eventSource: string;
  /**
   * Cognito attributes copied into the event; everything else is dropped (`PUBLISHED_ATTRIBUTES`,
   * comma-separated).
   *
   * @default ['email']
   */
  readonly publishedAttributes: readonly string[];
  /**
   * Milliseconds the handler may spend publishing, EventBridge and fallback together
   * (`PUBLISH_BUDGET_MS`).
   *
   * @default pipeline.postAuthentication.budgetMs (1000)
   */
  readonly budgetMs: number;
  /** Region of the clients and of the fallback envelope (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

/**
 * Reads the trigger's configuration from the environment.
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
export const loadPostAuthenticationConfig = (env: Env = process.env): PostAuthenticationConfig => {
  const eventBusName = requireString(
    env,
    'EVENT_BUS_NAME',
    'give the name or ARN of the event bus',
  );
  const syncQueueUrl = requireString(
    env,
    'SYNC_QUEUE_URL',
    'give the URL of the sync queue; the trigger falls back to it when EventBridge fails',
  );
  if (!URL.canParse(syncQueueUrl)) {
    throw new ConfigurationError(
      'SYNC_QUEUE_URL',
      `SYNC_QUEUE_URL must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got "${syncQueueUrl}"`,
    );
  }
  const publishedAttributes = stringList(env, 'PUBLISHED_ATTRIBUTES', DEFAULT_PUBLISHED_ATTRIBUTES);
  const badName = publishedAttributes.find((name) => !COGNITO_ATTRIBUTE_NAME.test(name));
  if (badName !== undefined) {
    throw new ConfigurationError(
      'PUBLISHED_ATTRIBUTES',
      `PUBLISHED_ATTRIBUTES must list Cognito attribute names separated by commas, got "${badName}"`,
    );
  }
  return {
    eventBusName,
    syncQueueUrl,
    eventSource: optionalString(env, 'EVENT_SOURCE', pipeline.eventSource),
    publishedAttributes,
    budgetMs: integer(
      env,
      'PUBLISH_BUDGET_MS',
      pipeline.postAuthentication.budgetMs,
      PUBLISH_BUDGET_RANGE,
    ),
    region: requireString(env, 'AWS_REGION', 'give the AWS region (Lambda sets it)'),
  };
};
