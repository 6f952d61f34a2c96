import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { loginEventPattern } from '../../shared/pipeline.js';

/** Region of every test resource (moto accepts any). */
export const REGION = 'us-east-1';

/** A valid login detail for `sub`, numbered `n`. */
export const loginDetail = (sub: string, n: number): UserAuthenticatedV1 => ({
  schemaVersion: 1,
  eventId: `${sub}-login-${n}`,
  userPoolId: `${REGION}_TestPool1`,
  sub,
  username: `user-${sub}`,
  clientId: 'client-1',
  triggerSource: 'PostAuthentication_Authentication',
  authenticatedAt: new Date(Date.UTC(2026, 10, 26, 10, 0, 0, n)).toISOString(),
  attributes: { email: `${sub}@example.com` },
});

/** The body a login message carries: the EventBridge-shaped envelope. */
export const envelopeBody = (detail: UserAuthenticatedV1): string =>
  JSON.stringify(toEnvelope(detail, { source: 'test', region: REGION }));

/** Sends login envelopes (the fallback shape) to a queue, ten per call. */
export const sendLogins = async (
  sqs: SQSClient,
  queueUrl: string,
  details: readonly UserAuthenticatedV1[],
  attributes: Record<string, MessageAttributeValue> = {},
): Promise<void> => {
  for (let i = 0; i < details.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: details.slice(i, i + 10).map((detail, index) => ({
          Id: String(index),
          MessageBody: envelopeBody(detail),
          ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
        })),
      }),
    );
  }
};

/**
 * Receives every message of a queue (deleting them) and returns their bodies. Ends after two
 * empty receives in a row.
 */
export const drain = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ body: string; attributes: Record<string, MessageAttributeValue> }[]> => {
  const out: { body: string; attributes: Record<string, MessageAttributeValue> }[] = [];
  let empty = 0;
  while (empty < 2) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) {
      empty += 1;
      continue;
    }
    empty = 0;
    for (const message of messages) {
      out.push({ body: message.Body ?? '', attributes: message.MessageAttributes ?? {} });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
  return out;
};

/** The `detail.eventId`s of drained bodies. */
export const eventIds = (bodies: readonly { body: string }[]): string[] =>
  bodies.map((entry) => (JSON.parse(entry.body) as { detail: UserAuthenticatedV1 }).detail.eventId);

/** Visible and in-flight counts of a queue. */
export const counts = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};

let pairs = 0;

/**
 * A fresh source queue with a redrive policy to a fresh DLQ (moto allows one PurgeQueue per
 * minute, so every test gets its own pair instead of purging).
 */
export const createQueuePair = async (
  sqs: SQSClient,
  maxReceiveCount: number,
): Promise<{ queueUrl: string; dlqUrl: string; queueName: string; dlqName: string }> => {
  pairs += 1;
  const queueName = `cli-test-${pairs}-${Date.now()}`;
  const dlqName = `${queueName}-dlq`;
  const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: dlqName }));
  const { Attributes: dlqAttributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: queueName,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.QueueArn,
          maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl, dlqUrl, queueName, dlqName };
};

/**
 * Makes messages poison the way a failing consumer does: each is received `maxReceiveCount`
 * times and never deleted (released as if its visibility timeout expired), so SQS's redrive
 * policy moves it to the DLQ on the next receive.
 */
export const poisonIntoDlq = async (
  sqs: SQSClient,
  queueUrl: string,
  maxReceiveCount: number,
): Promise<void> => {
  for (let round = 0; round <= maxReceiveCount; round += 1) {
    const handles: string[] = [];
    for (;;) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
        }),
      );
      if (messages.length === 0) break;
      handles.push(...messages.map((message) => message.ReceiptHandle ?? ''));
    }
    for (let i = 0; i < handles.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.slice(i, i + 10).map((handle, index) => ({
            Id: String(index),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    if (handles.length === 0) return;
  }
};

/**
 * A fresh bus with one rule sending login events to a fresh queue, so a test reads only the
 * events it published.
 */
export const createBusToQueue = async (
  eventBridge: EventBridgeClient,
  sqs: SQSClient,
  name: string,
): Promise<{ busName: string; queueUrl: string }> => {
  await eventBridge.send(new CreateEventBusCommand({ Name: name }));
  const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: name,
      EventPattern: JSON.stringify(loginEventPattern()),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: name,
      Targets: [{ Id: 'queue', Arn: attributes.QueueArn ?? '' }],
    }),
  );
  return { busName: name, queueUrl };
};

/** A background consumer of a queue; see {@link startCollector}. */
export interface Collector {
  /** Bodies received so far. */
  readonly bodies: string[];
  /** Stops once the queue has been empty for two receives in a row; resolves to every body. */
  finish(): Promise<string[]>;
}

/**
 * Consumes a queue in the background (receive + delete, ten at a time) while a command
 * publishes into it. moto's receive slows down with the number of messages a queue holds, so
 * reading while writing keeps a 1,000-event test fast, as a real consumer would.
 */
export const startCollector = (sqs: SQSClient, queueUrl: string): Collector => {
  const bodies: string[] = [];
  let finishing = false;
  const loop = (async () => {
    let empty = 0;
    while (!finishing || empty < 2) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: finishing ? 0 : 1,
        }),
      );
      if (messages.length === 0) {
        if (finishing) empty += 1;
        continue;
      }
      empty = 0;
      bodies.push(...messages.map((message) => message.Body ?? ''));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  })();
  return {
    bodies,
    async finish() {
      finishing = true;
      await loop;
      return bodies;
    },
  };
};

/** Creates a user pool and returns its id. */
export const createUserPool = async (
  cognito: CognitoIdentityProviderClient,
  name: string,
): Promise<string> => {
  const { UserPool: pool } = await cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  if (!pool?.Id) throw new Error('CreateUserPool returned no id');
  return pool.Id;
};

/** A fresh queue without a redrive policy (a "live" queue, not anyone's DLQ); returns its URL. */
export const createPlainQueue = async (sqs: SQSClient, prefix: string): Promise<string> => {
  pairs += 1;
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${prefix}-${pairs}-${Date.now()}` }),
  );
  return queueUrl;
};

/**
 * Receives every message of a queue once (deleting them) and returns each one's
 * `ApproximateReceiveCount`: 1 for a message nobody received before.
 */
export const receiveCounts = async (sqs: SQSClient, queueUrl: string): Promise<number[]> => {
  const out: number[] = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    if (messages.length === 0) return out;
    out.push(...messages.map((message) => Number(message.Attributes?.ApproximateReceiveCount)));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
};
