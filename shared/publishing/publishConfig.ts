import { type Env, integer, optionalString, requireString, stringList } from '../env.js';
import { ConfigurationError } from '../errors.js';
import {
  COGNITO_ATTRIBUTE_NAME,
  DEFAULT_PUBLISHED_ATTRIBUTES,
} from '../events/userAuthenticated.js';
import { pipeline } from '../pipeline.js';
import { PUBLISH_BUDGET_RANGE } from './publishBudget.js';

/**
 * What a Cognito trigger that publishes an event of the contract reads at cold start
 * (post-authentication and post-confirmation read the same variables).
 */
export interface TriggerPublishConfig {
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
   * @default the trigger's `pipeline.<trigger>.budgetMs` (1000)
   */
  readonly budgetMs: number;
  /** Region of the clients and of the fallback envelope (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

/**
 * `PUBLISHED_ATTRIBUTES`: the allow-list of Cognito attributes an event may carry.
 *
 * @default ['email'] - `DEFAULT_PUBLISHED_ATTRIBUTES`
 * @throws {@link ConfigurationError} naming `PUBLISHED_ATTRIBUTES` when a name is not a Cognito
 *   attribute name.
 */
export const loadPublishedAttributes = (env: Env): string[] => {
  const publishedAttributes = stringList(env, 'PUBLISHED_ATTRIBUTES', DEFAULT_PUBLISHED_ATTRIBUTES);
  const badName = publishedAttributes.find((name) => !COGNITO_ATTRIBUTE_NAME.test(name));
  if (badName !== undefined) {
    throw new ConfigurationError(
      'PUBLISHED_ATTRIBUTES',
      `PUBLISHED_ATTRIBUTES must list Cognito attribute names separated by commas, got "${badName}"`,
    );
  }
  return publishedAttributes;
};

/**
 * `EVENT_SOURCE`: the `Source` of the published events.
 *
 * @default pipeline.eventSource
 */
export const loadEventSource = (env: Env): string =>
  optionalString(env, 'EVENT_SOURCE', pipeline.eventSource);

/**
 * Reads a publishing trigger's configuration from the environment.
 *
 * @param env - the environment to read.
 * @param defaultBudgetMs - `PUBLISH_BUDGET_MS` when unset (the trigger's pipeline setting).
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const config = loadTriggerPublishConfig(process.env, pipeline.postConfirmation.budgetMs);
 */
export const loadTriggerPublishConfig = (
  env: Env,
  defaultBudgetMs: number,
): TriggerPublishConfig => {
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
  return {
    eventBusName,
    syncQueueUrl,
    eventSource: loadEventSource(env),
    publishedAttributes: loadPublishedAttributes(env),
    budgetMs: integer(env, 'PUBLISH_BUDGET_MS', defaultBudgetMs, PUBLISH_BUDGET_RANGE),
    region: requireString(env, 'AWS_REGION', 'give the AWS region (Lambda sets it)'),
  };
};
