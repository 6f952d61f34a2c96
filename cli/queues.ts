import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { UsageError } from './errors.js';

/** True when `value` looks like a queue URL rather than a queue name. */
export const isQueueUrl = (value: string): boolean => /^https?:\/\//.test(value);

const isQueueMissing = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'QueueDoesNotExist' ||
    error.name === 'AWS.SimpleQueueService.NonExistentQueue' ||
    /NonExistentQueue|does not exist/i.test(error.message));

/**
 * Resolves a queue given by name or URL to its URL. A name goes through `GetQueueUrl`; a URL is
 * checked with `GetQueueAttributes`, so a typo fails here with the queue's name in the message.
 *
 * @param role - what the queue is for, used in the error (e.g. `--dlq`).
 * @throws {@link UsageError} when the queue does not exist.
 */
export const resolveQueueUrl = async (
  sqs: SQSClient,
  nameOrUrl: string,
  role: string,
): Promise<string> => {
  try {
    if (isQueueUrl(nameOrUrl)) {
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: nameOrUrl, AttributeNames: ['QueueArn'] }),
      );
      return nameOrUrl;
    }
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: nameOrUrl }));
    if (!QueueUrl) throw new UsageError(`${role}: unknown queue "${nameOrUrl}"`);
    return QueueUrl;
  } catch (error) {
    if (isQueueMissing(error)) {
      throw new UsageError(`${role}: unknown queue "${nameOrUrl}"`, { cause: error });
    }
    throw error;
  }
};

/** The numbers `GetQueueAttributes` gives about a queue. */
export interface QueueCounts {
  readonly url: string;
  readonly arn: string;
  /** Messages available for retrieval. */
  readonly visible: number;
  /** Messages received but neither deleted nor released (in flight). */
  readonly inFlight: number;
  /** Messages delayed, not yet visible. */
  readonly delayed: number;
  /** The raw `RedrivePolicy`, if the queue has one. */
  readonly redrivePolicy?: string;
}

const COUNT_ATTRIBUTES: QueueAttributeName[] = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'RedrivePolicy',
];

/** Reads a queue's ARN and approximate counts. */
export const queueCounts = async (sqs: SQSClient, url: string): Promise<QueueCounts> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: COUNT_ATTRIBUTES }),
  );
  return {
    url,
    arn: attributes.QueueArn ?? '',
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    ...(attributes.RedrivePolicy ? { redrivePolicy: attributes.RedrivePolicy } : {}),
  };
};

/**
 * Finds the queue whose redrive policy points at `dlqUrl` (`ListDeadLetterSourceQueues`).
 *
 * @throws {@link UsageError} when there is none or more than one: the operator must say `--to`.
 */
export const findSourceQueue = async (sqs: SQSClient, dlqUrl: string): Promise<string> => {
  const { queueUrls = [] } = await sqs.send(
    new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }),
  );
  if (queueUrls.length === 1 && queueUrls[0]) return queueUrls[0];
  if (queueUrls.length === 0) {
    throw new UsageError(
      `no queue uses ${queueName(dlqUrl)} as its dead-letter queue: give the destination with --to`,
    );
  }
  throw new UsageError(
    `${queueUrls.length} queues use ${queueName(dlqUrl)} as their dead-letter queue (${queueUrls
      .map(queueName)
      .join(', ')}): choose one with --to`,
  );
};

/** The last path segment of a queue URL (its name). */
export const queueName = (url: string): string => url.replace(/\/+$/, '').split('/').pop() ?? url;
