import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RefusedError, UsageError } from './errors.js';

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

/** What {@link checkDeadLetterQueueOf} found. */
export interface DeadLetterLink {
  /** ARN of the queue given as the DLQ. */
  readonly dlqArn: string;
  /** ARN of the destination queue. */
  readonly destinationArn: string;
  /** `deadLetterTargetArn` of the destination's redrive policy, if it has one. */
  readonly destinationTargetArn?: string;
  /** True when the destination's redrive policy names the DLQ. */
  readonly linked: boolean;
  /** The DLQ's own `RedrivePolicy`: receives while scanning it count towards its maxReceiveCount. */
  readonly dlqRedrivePolicy?: string;
}

const deadLetterTargetOf = (redrivePolicy: string | undefined): string | undefined => {
  if (!redrivePolicy) return undefined;
  try {
    const target = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: unknown })
      .deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Reads whether `dlqUrl` is the dead-letter queue of `destinationUrl`: the destination's
 * `RedrivePolicy.deadLetterTargetArn` must equal the DLQ's ARN. This reads the policy itself
 * (`GetQueueAttributes`, immediately consistent) rather than `ListDeadLetterSourceQueues`, whose
 * answer can lag a policy change; it receives nothing, so it moves no message towards any DLQ.
 */
export const checkDeadLetterQueueOf = async (
  sqs: SQSClient,
  dlqUrl: string,
  destinationUrl: string,
): Promise<DeadLetterLink> => {
  const attributesOf = async (url: string) =>
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['QueueArn', 'RedrivePolicy'],
        }),
      )
    ).Attributes ?? {};
  const [dlq, destination] = await Promise.all([
    attributesOf(dlqUrl),
    attributesOf(destinationUrl),
  ]);
  const dlqArn = dlq.QueueArn ?? '';
  const destinationTargetArn = deadLetterTargetOf(destination.RedrivePolicy);
  return {
    dlqArn,
    destinationArn: destination.QueueArn ?? '',
    ...(destinationTargetArn ? { destinationTargetArn } : {}),
    linked: dlqArn !== '' && destinationTargetArn === dlqArn,
    ...(dlq.RedrivePolicy ? { dlqRedrivePolicy: dlq.RedrivePolicy } : {}),
  };
};

/**
 * Refuses a replay from `dlqUrl` to `destinationUrl` unless the first is the second's dead-letter
 * queue. Pointed at a live queue, a replay would drain it into another queue, and its scans'
 * receives would push that queue's good messages towards its own DLQ.
 *
 * @throws {@link RefusedError} naming both queues, what the destination's policy names, and `--force`.
 */
export const assertDeadLetterQueueOf = async (
  sqs: SQSClient,
  dlqUrl: string,
  destinationUrl: string,
): Promise<DeadLetterLink> => {
  const link = await checkDeadLetterQueueOf(sqs, dlqUrl, destinationUrl);
  if (link.linked) return link;
  const names = link.destinationTargetArn
    ? `its RedrivePolicy names ${link.destinationTargetArn}`
    : 'it has no RedrivePolicy';
  throw new RefusedError(
    '--force',
    `--dlq ${queueName(dlqUrl)} is not the dead-letter queue of --to ${queueName(destinationUrl)} (${names}): replaying would drain ${queueName(dlqUrl)}, which may be a live queue. Check --dlq and --to, or pass --force to move its messages anyway`,
  );
};
