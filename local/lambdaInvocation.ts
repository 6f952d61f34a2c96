import { createHash, randomUUID } from 'node:crypto';
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type {
  Context,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';

/** Where the records of an {@link toSqsEvent} event come from. */
export interface SqsEventSource {
  /** ARN of the queue, as `eventSourceARN`. */
  readonly queueArn: string;
  /** Region, as `awsRegion`. */
  readonly region: string;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const toRecordAttributes = (message: Message): SQSRecordAttributes => {
  const system = message.Attributes ?? {};
  const now = String(Date.now());
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? now,
    SenderId: system.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? now,
  };
  // Optional system attributes appear only when SQS sent them, as in a Lambda event.
  for (const name of [
    'AWSTraceHeader',
    'SequenceNumber',
    'MessageGroupId',
    'MessageDeduplicationId',
    'DeadLetterQueueSourceArn',
  ] as const) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
};

const toMessageAttributes = (
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes => {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    // Lambda spells the attribute fields in camelCase and base64-encodes binary values.
    result[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) =>
        Buffer.from(item).toString('base64'),
      ),
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
};

/**
 * Turns received SQS messages into the event Lambda's SQS event source mapping delivers: one
 * record per message with `messageId`, `receiptHandle`, `body`, the system `attributes`
 * (`ApproximateReceiveCount`, …), `messageAttributes`, `md5OfBody`, `eventSource: 'aws:sqs'`,
 * `eventSourceARN` and `awsRegion`.
 *
 * @param messages - messages from ReceiveMessage (ask for all system and message attributes).
 * @param source - the queue's ARN and region.
 */
export const toSqsEvent = (messages: readonly Message[], source: SqsEventSource): SQSEvent => ({
  Records: messages.map((message): SQSRecord => {
    const body = message.Body ?? '';
    const record: SQSRecord = {
      messageId: message.MessageId ?? randomUUID(),
      receiptHandle: message.ReceiptHandle ?? '',
      body,
      attributes: toRecordAttributes(message),
      messageAttributes: toMessageAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody ?? md5(body),
      eventSource: 'aws:sqs',
      eventSourceARN: source.queueArn,
      awsRegion: source.region,
    };
    if (message.MD5OfMessageAttributes !== undefined) {
      record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
    }
    return record;
  }),
});

/** Options of {@link createLambdaContext}. */
export interface LambdaContextOptions {
  /** The function's name. */
  readonly functionName: string;
  /** The function's timeout: `getRemainingTimeInMillis()` counts down from it. */
  readonly timeoutMs: number;
  /**
   * Region of the function ARN.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Account of the function ARN.
   * @default '000000000000'
   */
  readonly accountId?: string;
  /** @default 512 */
  readonly memoryMiB?: number;
}

/**
 * A Lambda `Context` for one invocation: a fresh `awsRequestId` and a
 * `getRemainingTimeInMillis()` that counts down from the function's timeout, starting now.
 */
export const createLambdaContext = (options: LambdaContextOptions): Context => {
  const deadline = Date.now() + options.timeoutMs;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const unsupported = (): void => {
    throw new Error('callback-style context methods are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMiB ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

/**
 * The ids to leave on the queue, from the handler's answer, by Lambda's rules: no answer or an
 * empty list means all succeeded; an identifier that is empty or not in the batch fails the
 * whole batch.
 *
 * @throws Error when the answer is invalid (the caller fails the whole batch).
 */
export const failedIdsOf = (response: unknown, event: SQSEvent): string[] => {
  const all = event.Records.map((record) => record.messageId);
  if (response === undefined || response === null) return [];
  if (typeof response !== 'object') throw new Error('the handler answered a non-object');
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) throw new Error('batchItemFailures is not an array');
  const ids = new Set<string>();
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.includes(id)) {
      throw new Error(`batchItemFailures holds an unknown itemIdentifier: ${JSON.stringify(id)}`);
    }
    ids.add(id);
  }
  return [...ids];
};
