import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describeError } from '../../shared/errors.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { MetricName, type MetricNameValue } from '../../shared/metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import type { PostAuthenticationConfig } from './config.js';
import type { PublishClients } from './createPublishClients.js';
import { buildLoginEventDetail } from './loginEventDetail.js';
import { publishDeadline } from './publishBudget.js';
import { type PublishOutcome, publishLoginEvent } from './publishLoginEvent.js';

/** What the trigger is built from (`composePostAuthentication` wires it; unit tests pass their own). */
export interface PostAuthenticationDeps {
  /** The trigger's configuration (`loadPostAuthenticationConfig`). */
  readonly config: PostAuthenticationConfig;
  /** The EventBridge and SQS clients (`createPublishClients`), built once per container. */
  readonly clients: PublishClients;
  /** Structured logger; never given attribute values. */
  readonly logger: ServiceLogger;
  /** EMF metrics: one of Published, FallbackUsed, PublishFailed, InvalidTrigger per sign-in. */
  readonly metrics: ServiceMetrics;
  /**
   * The clock, epoch milliseconds; also the sign-in time of the event.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The parts of the Lambda context the trigger reads; all optional for in-process callers. */
export type TriggerContext = Partial<
  Pick<Context, 'awsRequestId' | 'invokedFunctionArn' | 'getRemainingTimeInMillis'>
>;

/** The trigger: resolves to the event it was given, unchanged, and never rejects. */
export type PostAuthenticationHandler = <TEvent>(
  event: TEvent,
  context?: TriggerContext,
) => Promise<TEvent>;

/** The account id in a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:…`). */
const accountOf = (functionArn: string | undefined): string | undefined => {
  const account = functionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
};

/** Ids that tie a log line to the sign-in, never an attribute value (no email, no username). */
const logKeys = (detail: UserAuthenticatedV1, awsRequestId: string | undefined) => ({
  awsRequestId,
  eventId: detail.eventId,
  userPoolId: detail.userPoolId,
  clientId: detail.clientId,
  publishedAttributeNames: Object.keys(detail.attributes),
});

const METRIC_OF_OUTCOME: Readonly<Record<PublishOutcome['kind'], MetricNameValue>> = {
  published: MetricName.Published,
  fallback: MetricName.FallbackUsed,
  failed: MetricName.PublishFailed,
};

/**
 * Creates the Cognito post-authentication trigger. It builds a `UserAuthenticated` v1 event
 * from the trigger payload (allow-listed attributes only), publishes it to EventBridge and falls
 * back to the sync queue, all within `config.budgetMs` (and within the Lambda's remaining time).
 * Whatever happens it resolves to the event it was given, so the sign-in always proceeds.
 *
 * @example
 * const handler = createPostAuthenticationHandler({ config, clients, logger, metrics });
 * const event = await handler(cognitoEvent, lambdaContext); // the same object, unchanged
 */
export const createPostAuthenticationHandler = (
  deps: PostAuthenticationDeps,
): PostAuthenticationHandler => {
  const { config, clients, logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  const count = (name: MetricNameValue): void => {
    metrics.addMetric(name, MetricUnit.Count, 1);
  };

  const run = async (event: unknown, context: TriggerContext | undefined): Promise<void> => {
    const startedAt = now();
    const { budgetMs, deadlineAt } = publishDeadline(
      startedAt,
      config.budgetMs,
      context?.getRemainingTimeInMillis?.(),
    );
    const awsRequestId = context?.awsRequestId;

    let detail: UserAuthenticatedV1;
    try {
      detail = buildLoginEventDetail(event, {
        publishedAttributes: config.publishedAttributes,
        authenticatedAtMs: startedAt,
        requestId: awsRequestId,
      });
    } catch (error) {
      logger.error('Invalid post-authentication trigger event; nothing was published', {
        awsRequestId,
        error: describeError(error),
      });
      count(MetricName.InvalidTrigger);
      return;
    }

    const outcome = await publishLoginEvent(
      detail,
      {
        eventBridge: clients.eventBridge,
        sqs: clients.sqs,
        eventBusName: config.eventBusName,
        syncQueueUrl: config.syncQueueUrl,
        eventSource: config.eventSource,
        region: config.region,
        account: accountOf(context?.invokedFunctionArn),
        logger,
        now,
      },
      deadlineAt,
    );
    count(METRIC_OF_OUTCOME[outcome.kind]);
    const fields = { ...logKeys(detail, awsRequestId), elapsedMs: now() - startedAt, budgetMs };
    switch (outcome.kind) {
      case 'published':
        logger.debug('Login event published to EventBridge', {
          ...fields,
          putEventsCalls: outcome.putEventsCalls,
        });
        break;
      case 'fallback':
        logger.warn('Login event sent to the sync queue (EventBridge fallback)', {
          ...fields,
          eventBridgeError: outcome.eventBridgeError,
        });
        break;
      case 'failed':
        logger.error('Login event lost: EventBridge and the sync queue both failed; run backfill', {
          ...fields,
          eventBridgeError: outcome.eventBridgeError,
          sqsError: outcome.sqsError,
        });
        break;
    }
  };

  return async (event, context) => {
    try {
      await run(event, context);
    } catch (error) {
      // Unreachable by design; still, a bug here must not block the sign-in.
      try {
        logger.error('Unexpected error in the post-authentication trigger', {
          awsRequestId: context?.awsRequestId,
          error: describeError(error),
        });
      } catch {
        // Logging itself failed: nothing left to do but let the sign-in proceed.
      }
    }
    return event;
  };
};
