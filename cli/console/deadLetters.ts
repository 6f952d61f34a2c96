import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterView } from './consoleModel.js';
import type { DeadLetterReasons } from './deadLetterReasons.js';

/** What the console reads of a message body: the EventBridge envelope of any event type. */
interface Decoded {
  readonly eventType: string;
  readonly detail: Record<string, unknown>;
}

const decode = (body: string | undefined): Decoded => {
  try {
    const parsed = JSON.parse(body ?? '') as Record<string, unknown>;
    const detail = parsed.detail;
    return {
      eventType:
        typeof parsed['detail-type'] === 'string' ? parsed['detail-type'] : '(not an event)',
      detail:
        typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {},
    };
  } catch {
    return { eventType: '(not JSON)', detail: {} };
  }
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The attributes an event carries (values), for the operator's explicit reveal only. */
export const attributesOf = (message: Message): Record<string, string> => {
  const { attributes } = decode(message.Body).detail;
  if (typeof attributes !== 'object' || attributes === null) return {};
  return Object.fromEntries(
    Object.entries(attributes).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
};

/** A dead letter as the page lists it: decoded, attribute values left out. */
export const toDeadLetterView = (
  message: Message,
  reason: string | null,
  nowMs: number,
): DeadLetterView => {
  const { eventType, detail } = decode(message.Body);
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  const sub = text(detail.sub);
  const eventId = text(detail.eventId);
  const occurredAt = text(detail.occurredAt) ?? text(detail.authenticatedAt);
  return {
    messageId: message.MessageId ?? '',
    eventType,
    ...(sub ? { sub } : {}),
    ...(eventId ? { eventId } : {}),
    ...(occurredAt ? { occurredAt } : {}),
    ageSeconds:
      Number.isFinite(sent) && sent > 0 ? Math.max(0, Math.round((nowMs - sent) / 1000)) : null,
    receiveCount: Number.isFinite(receives) && receives > 0 ? receives : null,
    reason,
    attributeNames: Object.keys(attributesOf(message)).sort(),
  };
};

/**
 * Reads up to `max` messages of a dead-letter queue without consuming them: receives with
 * visibility 0, so they stay available to `replay-dlq`. Only for DLQs: a DLQ has no redrive
 * policy, so the receives move nothing (on a source queue they would count towards
 * `maxReceiveCount`). Stops at an empty receive or when receives bring nothing new.
 *
 * @default max - 50
 */
export const peekDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  max = 50,
): Promise<Message[]> => {
  const seen = new Map<string, Message>();
  for (let receive = 0; receive < Math.ceil(max / 10) + 2 && seen.size < max; receive += 1) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    const before = seen.size;
    for (const message of messages) {
      if (message.MessageId && seen.size < max) seen.set(message.MessageId, message);
    }
    if (messages.length === 0 || seen.size === before) break;
  }
  return [...seen.values()];
};

/** Lists a DLQ's messages with the reason each failed. */
export const listDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  reasons: DeadLetterReasons,
  nowMs: number = Date.now(),
): Promise<DeadLetterView[]> => {
  const messages = await peekDeadLetters(sqs, dlqUrl);
  const found = await reasons.reasonsFor(messages.map((message) => message.MessageId ?? ''));
  return messages
    .map((message) => toDeadLetterView(message, found.get(message.MessageId ?? '') ?? null, nowMs))
    .sort((a, b) => (b.ageSeconds ?? 0) - (a.ageSeconds ?? 0));
};
