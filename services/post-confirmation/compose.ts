import {
  type ComposedPublishingTrigger,
  composePublishingTrigger,
  type PublishingTriggerComposeOptions,
} from '../../shared/publishing/composePublishingTrigger.js';
import { loadPostConfirmationConfig } from './config.js';
import { createPostConfirmationHandler } from './postConfirmation.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const POST_CONFIRMATION_SERVICE = 'post-confirmation';

/**
 * Options of {@link composePostConfirmation}: the environment, and what a caller outside Lambda
 * (the local stack, its admin helper, tests) puts in place of the defaults.
 */
export type PostConfirmationComposeOptions = PublishingTriggerComposeOptions;

/** The trigger {@link composePostConfirmation} built, and what it was built from. */
export type ComposedPostConfirmation = ComposedPublishingTrigger;

/**
 * The composition root of the post-confirmation trigger, and the only place it is wired:
 * configuration from `env` (a missing or invalid variable throws, naming it), the publish
 * clients with timeouts from the budget, logger and metrics, then the core handler
 * (`composePublishingTrigger`, shared with post-authentication). The Lambda module calls it once
 * at cold start; the local stack and tests call it with their endpoints, credentials or
 * observability.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const trigger = composePostConfirmation({ env: process.env });
 * await trigger.handler(cognitoEvent, context);
 */
export const composePostConfirmation = (
  options: PostConfirmationComposeOptions,
): ComposedPostConfirmation =>
  composePublishingTrigger(
    {
      serviceName: POST_CONFIRMATION_SERVICE,
      loadConfig: loadPostConfirmationConfig,
      createHandler: createPostConfirmationHandler,
    },
    options,
  );
