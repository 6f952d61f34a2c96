import { type Env, requireString, stringList } from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import { USER_POOL_ID_PATTERN } from '../../shared/events/fields.js';
import { loadEventSource, loadPublishedAttributes } from '../../shared/publishing/publishConfig.js';

/** Configuration of the user-lifecycle consumer, read once at cold start. */
export interface UserLifecycleConfig {
  /** Name or ARN of the EventBridge bus the lifecycle events go to (`EVENT_BUS_NAME`, required). */
  readonly eventBusName: string;
  /**
   * `Source` of the published events (`EVENT_SOURCE`).
   *
   * @default pipeline.eventSource
   */
  readonly eventSource: string;
  /**
   * The user pools whose CloudTrail events the consumer acts on (`USER_POOL_IDS`,
   * comma-separated, required); an event of any other pool is ignored and counted.
   */
  readonly userPoolIds: ReadonlySet<string>;
  /**
   * Cognito attributes copied into the events; everything else is dropped
   * (`PUBLISHED_ATTRIBUTES`, comma-separated).
   *
   * @default ['email']
   */
  readonly publishedAttributes: readonly string[];
  /** Region of the clients (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

/**
 * Reads the consumer's configuration from the environment.
 *
 * @param env - the environment to read.
 * @default env - `process.env`
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const config = loadUserLifecycleConfig({
 *   EVENT_BUS_NAME: 'cognito-hasura-sync',
 *   USER_POOL_IDS: 'eu-west-1_AbCdEf123',
 *   AWS_REGION: 'eu-west-1',
 * });
 */
export const loadUserLifecycleConfig = (env: Env = process.env): UserLifecycleConfig => {
  const eventBusName = requireString(
    env,
    'EVENT_BUS_NAME',
    'give the name or ARN of the event bus the lifecycle events are published to',
  );
  requireString(env, 'USER_POOL_IDS', 'give the ids of the user pools to act on, comma-separated');
  const userPoolIds = stringList(env, 'USER_POOL_IDS', []);
  const badPool = userPoolIds.find((id) => !USER_POOL_ID_PATTERN.test(id));
  if (badPool !== undefined || userPoolIds.length === 0) {
    throw new ConfigurationError(
      'USER_POOL_IDS',
      `USER_POOL_IDS must list Cognito user pool ids (region_id) separated by commas, got "${badPool ?? ''}"`,
    );
  }
  return {
    eventBusName,
    eventSource: loadEventSource(env),
    userPoolIds: new Set(userPoolIds),
    publishedAttributes: loadPublishedAttributes(env),
    region: requireString(env, 'AWS_REGION', 'give the AWS region (Lambda sets it)'),
  };
};
