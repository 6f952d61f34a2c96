import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describeError } from '../errors.js';
import type { SyncEvent } from '../events/syncEvent.js';
import { MetricName, type MetricNameValue } from '../metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../observabilityPorts.js';
import type { PublishClients } from './createPublishClients.js';
import { publishDeadline } from './publishBudget.js';
import type { TriggerPublishConfig } from './publishConfig.js';
import { type PublishOutcome, publishSyncEvent } from './publishSyncEvent.js';

/** What a publishing trigger is built from (its `compose.ts` wires it; unit tests pass their own). */
export interface PublishingTriggerDeps {
  /** The trigger's configuration (`loadTriggerPublishConfig`). */
  readonly config: TriggerPublishConfig;
  /** The EventBridge and SQS clients (`createPublishClients`), built once per container. */
  readonly clients: PublishClients;
  /** Structured logger; never given attribute values. */
  readonly logger: ServiceLogger;
  /** EMF metrics: one metric per invocation (Published, FallbackUsed, PublishFailed, …). */
  readonly metrics: ServiceMetrics;
  /**
   * The clock, epoch milliseconds; also the time the event states.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The parts of the Lambda context a trigger reads; all optional for in-process callers. */
export type TriggerContext = Partial<
  Pick<Context, 'awsRequestId' | 'invokedFunctionArn' | 'getRemainingTimeInMillis'>
>;

/** A Cognito trigger: resolves to the event it was given, unchanged, and never rejects. */
export type CognitoTriggerHandler = <TEvent>(
  event: TEvent,
  context?: TriggerContext,
) => Promise<TEvent>;

/** One invocation, as the trigger's own code sees it. */
export interface TriggerInvocation {
  /** When the invocation started, epoch ms (the time the event states). */
  readonly startedAt: number;
  /** `context.awsRequestId`, part of the event id. */
  readonly awsRequestId: string | undefined;
}

/** What the trigger's own code decides for one Cognito event. */
export type TriggerDecision =
  | { readonly kind: 'publish'; readonly event: SyncEvent }
  | {
      /** Nothing to publish (e.g. a post-confirmation after a password reset): counted, logged. */
      readonly kind: 'skip';
      readonly metric: MetricNameValue;
      readonly reason: string;
      readonly fields?: Record<string, unknown>;
    };

/** The trigger-specific part of a publishing trigger. */
export interface PublishingTriggerSpec {
  /** The trigger's name in log messages, e.g. `post-authentication`. */
  readonly triggerName: string;
  /** What the event is called in log messages, e.g. `Login event`. */
  readonly eventNoun: string;
  /**
   * Parses the Cognito event and says what to publish.
   *
   * @throws {@link InvalidEventError} for an unusable payload: counted as `InvalidTrigger`.
   */
  readonly decide: (event: unknown, invocation: TriggerInvocation) => TriggerDecision;
}

/** The account id in a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:…`). */
const accountOf = (functionArn: string | undefined): string | undefined => {
  const account = functionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
};

/** Ids that tie a log line to the invocation, never an attribute value (no email, no username). */
const logKeys = (event: SyncEvent, awsRequestId: string | undefined) => ({
  awsRequestId,
  eventId: event.detail.eventId,
  detailType: event.type,
  userPoolId: event.detail.userPoolId,
  ...('clientId' in event.detail ? { clientId: event.detail.clientId } : {}),
  ...('attributes' in event.detail
    ? { publishedAttributeNames: Object.keys(event.detail.attributes) }
    : {}),
});

const METRIC_OF_OUTCOME: Readonly<Record<PublishOutcome['kind'], MetricNameValue>> = {
  published: MetricName.Published,
  fallback: MetricName.FallbackUsed,
  failed: MetricName.PublishFailed,
};

/**
 * Creates a Cognito trigger that publishes one event of the contract per invocation, never
 * blocking the user: `spec.decide` builds the event (allow-listed attributes only), then
 * {@link publishSyncEvent} puts it on the bus and falls back to the sync queue, all within
 * `config.budgetMs` (and within the Lambda's remaining time). Whatever happens it resolves to the
 * Cognito event it was given, unchanged. One metric per invocation: Published, FallbackUsed,
 * PublishFailed, InvalidTrigger or the skip's own.
 *
 * @example
 * const handler = createPublishingTrigger(deps, {
 *   triggerName: 'post-confirmation',
 *   eventNoun: 'Sign-up event',
 *   decide: (event, { startedAt, awsRequestId }) => ({ kind: 'publish', event: build(event) }),
 * });
 */
export const createPublishingTrigger = (
  deps: PublishingTriggerDeps,
  spec: PublishingTriggerSpec,
): CognitoTriggerHandler => {
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

    let decision: TriggerDecision;
    try {
      decision = spec.decide(event, { startedAt, awsRequestId });
    } catch (error) {
      logger.error(`Invalid ${spec.triggerName} trigger event; nothing was published`, {
        awsRequestId,
        error: describeError(error),
      });
      count(MetricName.InvalidTrigger);
      return;
    }
    if (decision.kind === 'skip') {
      logger.info(decision.reason, { awsRequestId, ...decision.fields });
      count(decision.metric);
      return;
    }

    const outcome = await publishSyncEvent(
      decision.event,
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
    const fields = {
      ...logKeys(decision.event, awsRequestId),
      elapsedMs: now() - startedAt,
      budgetMs,
    };
    switch (outcome.kind) {
      case 'published':
        logger.debug(`${spec.eventNoun} published to EventBridge`, {
          ...fields,
          putEventsCalls: outcome.putEventsCalls,
        });
        break;
      case 'fallback':
        logger.warn(`${spec.eventNoun} sent to the sync queue (EventBridge fallback)`, {
          ...fields,
          eventBridgeError: outcome.eventBridgeError,
        });
        break;
      case 'failed':
        logger.error(
          `${spec.eventNoun} lost: EventBridge and the sync queue both failed; run backfill`,
          { ...fields, eventBridgeError: outcome.eventBridgeError, sqsError: outcome.sqsError },
        );
        break;
    }
  };

  return async (event, context) => {
    try {
      await run(event, context);
    } catch (error) {
      // Unreachable by design; still, a bug here must not block the user.
      try {
        logger.error(`Unexpected error in the ${spec.triggerName} trigger`, {
          awsRequestId: context?.awsRequestId,
          error: describeError(error),
        });
      } catch {
        // Logging itself failed: nothing left to do but let Cognito proceed.
      }
    }
    return event;
  };
};
