import { MetricName } from '../../shared/metricNames.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  type CognitoTriggerHandler,
  createPublishingTrigger,
  type PublishingTriggerDeps,
} from '../../shared/publishing/createPublishingTrigger.js';
import { buildSignUpEventDetail, CONFIRM_SIGN_UP, triggerSourceOf } from './signUpEventDetail.js';

/** What the trigger is built from (`composePostConfirmation` wires it; unit tests pass their own). */
export type PostConfirmationDeps = PublishingTriggerDeps;

/** The trigger: resolves to the event it was given, unchanged, and never rejects. */
export type PostConfirmationHandler = CognitoTriggerHandler;

/**
 * Creates the Cognito post-confirmation trigger. For a sign-up (`PostConfirmation_ConfirmSignUp`:
 * ConfirmSignUp, AdminConfirmSignUp, a federated user's first sign-in) it builds a `UserSignedUp`
 * v1 event (allow-listed attributes only) and publishes it through the shared publishing trigger
 * (`createPublishingTrigger`): EventBridge, else the sync queue, within `config.budgetMs`. Any
 * other trigger source (`PostConfirmation_ConfirmForgotPassword`, a password reset, not a
 * sign-up) publishes nothing and counts `TriggerIgnored`. Whatever happens it resolves to the
 * event it was given, unchanged, so the confirmation always proceeds.
 *
 * @example
 * const handler = createPostConfirmationHandler({ config, clients, logger, metrics });
 * const event = await handler(cognitoEvent, lambdaContext); // the same object, unchanged
 */
export const createPostConfirmationHandler = (
  deps: PostConfirmationDeps,
): PostConfirmationHandler =>
  createPublishingTrigger(deps, {
    triggerName: 'post-confirmation',
    eventNoun: 'Sign-up event',
    decide: (event, { startedAt, awsRequestId }) => {
      const triggerSource = triggerSourceOf(event);
      if (triggerSource !== undefined && triggerSource !== CONFIRM_SIGN_UP) {
        return {
          kind: 'skip',
          metric: MetricName.TriggerIgnored,
          reason: 'Post-confirmation that is not a sign-up; nothing to publish',
          fields: { triggerSource },
        };
      }
      return {
        kind: 'publish',
        event: {
          type: pipeline.detailTypes.signedUp,
          detail: buildSignUpEventDetail(event, {
            publishedAttributes: deps.config.publishedAttributes,
            occurredAtMs: startedAt,
            requestId: awsRequestId,
          }),
        },
      };
    },
  });
