import {
  type ComposedPublishingTrigger,
  composePublishingTrigger,
  type PublishingTriggerComposeOptions,
} from '../../shared/publishing/composePublishingTrigger.js';
import { loadPostAuthenticationConfig } from './config.js';
import { createPostAuthenticationHandler } from './postAuthentication.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const POST_AUTHENTICATION_SERVICE = 'post-authentication';

/**
 * Options of {@link composePostAuthentication}: the environment, and what a caller outside
 * Lambda (the local stack, `simulate`, tests, benchmarks) puts in place of the defaults.
 */
export type PostAuthenticationComposeOptions = PublishingTriggerComposeOptions;

/** The trigger {@link composePostAuthentication} built, and what it was built from. */
export type ComposedPostAuthentication = ComposedPublishingTrigger;

/**
 * The composition root of the post-authentication trigger, and the only place it is wired:
 * configuration from `env` (a missing or invalid variable throws, naming it), the publish
 * clients with timeouts from the budget, logger and metrics, then the core handler
 * (`composePublishingTrigger`, shared with post-confirmation). The Lambda module calls it once at
 * cold start; the local stack, `simulate`, tests and benchmarks call it with their endpoints,
 * credentials or observability.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 *
 * @example
 * const trigger = composePostAuthentication({ env: process.env });
 * await trigger.handler(cognitoEvent, context);
 */
export const composePostAuthentication = (
  options: PostAuthenticationComposeOptions,
): ComposedPostAuthentication =>
  composePublishingTrigger(
    {
      serviceName: POST_AUTHENTICATION_SERVICE,
      loadConfig: loadPostAuthenticationConfig,
      createHandler: createPostAuthenticationHandler,
    },
    options,
  );
