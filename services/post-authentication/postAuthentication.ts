import { pipeline } from '../../shared/pipeline.js';
import {
  type CognitoTriggerHandler,
  createPublishingTrigger,
  type PublishingTriggerDeps,
} from '../../shared/publishing/createPublishingTrigger.js';
import { buildLoginEventDetail } from './loginEventDetail.js';

/** What the trigger is built from (`composePostAuthentication` wires it; unit tests pass their own). */
export type PostAuthenticationDeps = PublishingTriggerDeps;

/** The trigger: resolves to the event it was given, unchanged, and never rejects. */
export type PostAuthenticationHandler = CognitoTriggerHandler;

/**
 * Creates the Cognito post-authentication trigger. It builds a `UserAuthenticated` v1 event
 * from the trigger payload (allow-listed attributes only) and publishes it through the shared
 * publishing trigger (`createPublishingTrigger`): EventBridge, else the sync queue, all within
 * `config.budgetMs` (and within the Lambda's remaining time). Whatever happens it resolves to the
 * event it was given, so the sign-in always proceeds.
 *
 * @example
 * const handler = createPostAuthenticationHandler({ config, clients, logger, metrics });
 * const event = await handler(cognitoEvent, lambdaContext); // the same object, unchanged
 */
export const createPostAuthenticationHandler = (
  deps: PostAuthenticationDeps,
): PostAuthenticationHandler =>
  createPublishingTrigger(deps, {
    triggerName: 'post-authentication',
    eventNoun: 'Login event',
    decide: (event, { startedAt, awsRequestId }) => ({
      kind: 'publish',
      event: {
        type: pipeline.detailTypes.authenticated,
        detail: buildLoginEventDetail(event, {
          publishedAttributes: deps.config.publishedAttributes,
          authenticatedAtMs: startedAt,
          requestId: awsRequestId,
        }),
      },
    }),
  });
