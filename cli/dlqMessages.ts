import type {
  Message,
  MessageAttributeValue,
  SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';

/** What `--dry-run` shows of a message: ids and times, never attribute values. */
export interface MessageSample {
  readonly messageId: string;
  readonly eventId?: string;
  readonly sub?: string;
  readonly authenticatedAt?: string;
  /** When the message was first sent to its original queue (SentTimestamp), ISO-8601. */
  readonly sentAt?: string;
  /** Receives so far, across the source queue and the DLQ. */
  readonly receiveCount?: number;
  readonly bodyBytes: number;
}

interface LoginFields {
  eventId?: string;
  sub?: string;
  username?: string;
  authenticatedAt?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Reads the login fields out of a message body: the EventBridge envelope a rule target receives,
 * or the same envelope sent by the trigger's fallback. A body that is not such JSON yields `{}`
 * (it is still moved by an unfiltered replay, byte for byte).
 */
export const loginFields = (body: string | undefined): LoginFields => {
  if (!body) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object') return {};
  const detail = (parsed as { detail?: unknown }).detail;
  const source = detail !== null && typeof detail === 'object' ? detail : parsed;
  const record = source as Record<string, unknown>;
  const fields: LoginFields = {};
  const eventId = str(record.eventId);
  const sub = str(record.sub);
  const username = str(record.username);
  const authenticatedAt = str(record.authenticatedAt);
  if (eventId) fields.eventId = eventId;
  if (sub) fields.sub = sub;
  if (username) fields.username = username;
  if (authenticatedAt) fields.authenticatedAt = authenticatedAt;
  return fields;
};

/** True when the message is a login of `user` (matched against the `sub` or the username). */
export const isMessageOfUser = (message: Message, user: string): boolean => {
  const { sub, username } = loginFields(message.Body);
  return sub === user || username === user;
};

/** A privacy-safe sample of a message for `--dry-run`. */
export const sampleOf = (message: Message): MessageSample => {
  const fields = loginFields(message.Body);
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  return {
    messageId: message.MessageId ?? '',
    ...(fields.eventId ? { eventId: fields.eventId } : {}),
    ...(fields.sub ? { sub: fields.sub } : {}),
    ...(fields.authenticatedAt ? { authenticatedAt: fields.authenticatedAt } : {}),
    ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
    ...(Number.isFinite(receives) && receives > 0 ? { receiveCount: receives } : {}),
    bodyBytes: Buffer.byteLength(message.Body ?? ''),
  };
};

const sendableAttribute = (value: MessageAttributeValue): MessageAttributeValue | undefined => {
  if (!value.DataType) return undefined;
  if (value.StringValue !== undefined) {
    return { DataType: value.DataType, StringValue: value.StringValue };
  }
  if (value.BinaryValue !== undefined) {
    return { DataType: value.DataType, BinaryValue: value.BinaryValue };
  }
  return undefined;
};

/**
 * The `SendMessageBatch` entry that re-sends a received message unchanged: the same body, the
 * same message attributes, the X-Ray trace header, and for FIFO queues the group and
 * deduplication ids.
 */
export const resendEntry = (
  message: Message,
  id: string,
  fifo: boolean,
): SendMessageBatchRequestEntry => {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    const sendable = sendableAttribute(value);
    if (sendable) attributes[name] = sendable;
  }
  const traceHeader = message.Attributes?.AWSTraceHeader;
  const entry: SendMessageBatchRequestEntry = {
    Id: id,
    MessageBody: message.Body ?? '',
    ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
    ...(traceHeader
      ? {
          MessageSystemAttributes: {
            AWSTraceHeader: { DataType: 'String', StringValue: traceHeader },
          },
        }
      : {}),
  };
  if (fifo) {
    const groupId = message.Attributes?.MessageGroupId;
    const dedupId = message.Attributes?.MessageDeduplicationId;
    if (groupId) entry.MessageGroupId = groupId;
    if (dedupId) entry.MessageDeduplicationId = dedupId;
  }
  return entry;
};
