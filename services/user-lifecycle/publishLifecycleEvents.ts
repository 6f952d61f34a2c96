import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { describeError } from '../../shared/errors.js';
import { occurredAtOf } from '../../shared/events/syncEvent.js';
import type { LifecycleSyncEvent } from './lifecycleEvent.js';

/** Entries per PutEvents call (EventBridge's limit). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** What became of one event. */
export type EntryOutcome =
  | { readonly published: true }
  | { readonly published: false; readonly error: string; readonly entryErrorCode?: string };

/**
 * Puts the events on the bus, {@link PUT_EVENTS_MAX_ENTRIES} per PutEvents call, and says what
 * became of each, in the order given: a thrown error fails every event of its call; an entry
 * rejected in a 200 answer (`ErrorCode`) fails that event only. Never throws.
 *
 * @example
 * const outcomes = await publishLifecycleEvents(eventBridge, events, { eventBusName, eventSource });
 */
export const publishLifecycleEvents = async (
  eventBridge: EventBridgeClient,
  events: readonly LifecycleSyncEvent[],
  target: { readonly eventBusName: string; readonly eventSource: string },
): Promise<EntryOutcome[]> => {
  const outcomes: EntryOutcome[] = [];
  for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = events.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
    const entries: PutEventsRequestEntry[] = chunk.map((event) => ({
      EventBusName: target.eventBusName,
      Source: target.eventSource,
      DetailType: event.type,
      Detail: JSON.stringify(event.detail),
      Time: new Date(occurredAtOf(event)),
    }));
    try {
      const output = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
      chunk.forEach((_event, index) => {
        // A 200 is not success: PutEvents reports per-entry failures, in the entries' order.
        const entry = output.Entries?.[index];
        if (entry === undefined && (output.FailedEntryCount ?? 0) > 0) {
          outcomes.push({ published: false, error: 'PutEvents answered no entry for it' });
        } else if (entry?.ErrorCode !== undefined && entry.ErrorCode !== '') {
          outcomes.push({
            published: false,
            error: `EventBridge rejected the entry: ${entry.ErrorCode}`,
            entryErrorCode: entry.ErrorCode,
          });
        } else {
          outcomes.push({ published: true });
        }
      });
    } catch (error) {
      for (const _event of chunk) outcomes.push({ published: false, error: describeError(error) });
    }
  }
  return outcomes;
};
