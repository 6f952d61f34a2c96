import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeError } from '../errors.js';
import { occurredAtOf, type SyncEvent, toSyncEnvelope } from '../events/syncEvent.js';
import type { ServiceLogger } from '../observabilityPorts.js';
import {
  EntryRejectedError,
  isEntryRejectedError,
  PublishTimeoutError,
  RETRYABLE_ENTRY_ERROR_CODES,
} from './errors.js';
import { eventBridgeDeadline } from './publishBudget.js';
import { withDeadline } from './withDeadline.js';

/** PutEvents calls per event: the first, plus one retry of an entry rejected as transient. */
export const MAX_PUT_EVENTS_CALLS = 2;

/** Where the event is published and with what. */
export interface PublishTargets {
  /** Client of the bus (PutEvents). */
  readonly eventBridge: EventBridgeClient;
  /** Client of the fallback queue (SendMessage). */
  readonly sqs: SQSClient;
  /** Name or ARN of the bus. */
  readonly eventBusName: string;
  /** URL of the sync queue, the fallback target. */
  readonly syncQueueUrl: string;
  /** `Source` of the event. */
  readonly eventSource: string;
  /** Region written into the fallback envelope. */
  readonly region: string;
  /**
   * AWS account written into the fallback envelope.
   *
   * @default undefined - `toSyncEnvelope`'s placeholder account
   */
  readonly account?: string | undefined;
  /** Logger for the retry and fallback warnings. */
  readonly logger: ServiceLogger;
  /** The clock, epoch milliseconds. */
  readonly now: () => number;
}

/** How publishing one event ended. */
export type PublishOutcome =
  | { readonly kind: 'published'; readonly putEventsCalls: number }
  | { readonly kind: 'fallback'; readonly eventBridgeError: string }
  | { readonly kind: 'failed'; readonly eventBridgeError: string; readonly sqsError: string };

/** Error fields for logs: a one-line description plus the entry error code when there is one. */
const errorFields = (error: unknown): Record<string, string> =>
  isEntryRejectedError(error)
    ? { error: describeError(error), entryErrorCode: error.errorCode }
    : { error: describeError(error) };

const putEvents = async (
  event: SyncEvent,
  targets: PublishTargets,
  deadlineAt: number,
): Promise<number> => {
  const startedAt = targets.now();
  const command = new PutEventsCommand({
    Entries: [
      {
        EventBusName: targets.eventBusName,
        Source: targets.eventSource,
        DetailType: event.type,
        Detail: JSON.stringify(event.detail),
        Time: new Date(occurredAtOf(event)),
      },
    ],
  });
  for (let call = 1; ; call += 1) {
    const output = await withDeadline(
      deadlineAt,
      (signal) => targets.eventBridge.send(command, { abortSignal: signal }),
      () => new PublishTimeoutError('EventBridge', deadlineAt - startedAt),
      targets.now,
    );
    // A 200 is not success: PutEvents reports per-entry failures in the body.
    const failed = (output.FailedEntryCount ?? 0) > 0 ? output.Entries?.[0] : undefined;
    if ((output.FailedEntryCount ?? 0) === 0) return call;
    const rejection = new EntryRejectedError(
      failed?.ErrorCode ?? 'Unknown',
      failed?.ErrorMessage ?? 'no error message',
    );
    if (call >= MAX_PUT_EVENTS_CALLS || !RETRYABLE_ENTRY_ERROR_CODES.has(rejection.errorCode)) {
      throw rejection;
    }
    targets.logger.warn('EventBridge rejected the entry; retrying once', errorFields(rejection));
  }
};

/**
 * Publishes one event of the contract within `deadlineAt`: PutEvents to the bus (until
 * {@link eventBridgeDeadline}, EventBridge's share of the remaining time), and when that fails,
 * times out or the entry is rejected, SendMessage of the EventBridge-shaped envelope
 * (`toSyncEnvelope`) to the sync queue in the time left. Never throws; the outcome says which
 * path worked. The Cognito triggers (post-authentication, post-confirmation) publish through it.
 *
 * @example
 * const outcome = await publishSyncEvent({ type: 'UserSignedUp', detail }, targets, Date.now() + 975);
 */
export const publishSyncEvent = async (
  event: SyncEvent,
  targets: PublishTargets,
  deadlineAt: number,
): Promise<PublishOutcome> => {
  const startedAt = targets.now();
  let eventBridgeError: unknown;
  try {
    const putEventsCalls = await putEvents(
      event,
      targets,
      eventBridgeDeadline(startedAt, deadlineAt),
    );
    return { kind: 'published', putEventsCalls };
  } catch (error) {
    eventBridgeError = error;
    targets.logger.warn('Publishing to EventBridge failed; sending the event to the sync queue', {
      ...errorFields(error),
      elapsedMs: targets.now() - startedAt,
    });
  }
  try {
    const envelope = toSyncEnvelope(event, {
      source: targets.eventSource,
      region: targets.region,
      ...(targets.account === undefined ? {} : { account: targets.account }),
    });
    const fallbackStartedAt = targets.now();
    await withDeadline(
      deadlineAt,
      (signal) =>
        targets.sqs.send(
          new SendMessageCommand({
            QueueUrl: targets.syncQueueUrl,
            MessageBody: JSON.stringify(envelope),
          }),
          { abortSignal: signal },
        ),
      () => new PublishTimeoutError('SQS', deadlineAt - fallbackStartedAt),
      targets.now,
    );
    return { kind: 'fallback', eventBridgeError: describeError(eventBridgeError) };
  } catch (error) {
    return {
      kind: 'failed',
      eventBridgeError: describeError(eventBridgeError),
      sqsError: describeError(error),
    };
  }
};
