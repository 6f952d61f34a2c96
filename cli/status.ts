import { DescribeArchiveCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueCounts, queueName } from './queues.js';

/** One queue's line of the status. */
export interface QueueStatus {
  readonly name: string;
  readonly url: string;
  /** Messages waiting (ApproximateNumberOfMessages). */
  readonly depth: number;
  /** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  readonly delayed: number;
  /**
   * Age in seconds of the oldest message seen by a peek (SentTimestamp of up to 10 messages
   * received with visibility 0); `null` when the queue was not peeked or nothing was visible.
   */
  readonly oldestMessageAgeSeconds: number | null;
}

/** The archive's line of the status. */
export interface ArchiveStatus {
  readonly name: string;
  readonly state?: string;
  readonly eventCount?: number;
  readonly sizeBytes?: number;
  readonly retentionDays?: number;
  /** Set when DescribeArchive failed (e.g. no archive on this endpoint). */
  readonly error?: string;
}

/** What `status` reports. */
export interface PipelineStatus {
  readonly at: string;
  readonly syncQueue: QueueStatus;
  readonly dlq: QueueStatus;
  readonly archive: ArchiveStatus;
}

/** Options of {@link readStatus}. */
export interface StatusOptions {
  readonly syncQueueUrl: string;
  readonly dlqUrl: string;
  readonly archiveName: string;
  /**
   * Peek the sync queue for the oldest message's age. Off by default: every receive counts
   * towards the queue's maxReceiveCount, so frequent peeks could push messages to the DLQ.
   * @default false
   */
  readonly peekSyncQueue?: boolean;
  /**
   * Peek the DLQ for the oldest message's age (a DLQ has no redrive policy of its own).
   * @default true
   */
  readonly peekDlq?: boolean;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * SQS has no "age of the oldest message" attribute (that is the CloudWatch metric
 * ApproximateAgeOfOldestMessage), so it is estimated: receive up to 10 messages with visibility
 * timeout 0 (they stay available, nothing is consumed), take the oldest SentTimestamp. SQS
 * samples servers, so on a large queue this is a lower bound of the real age.
 */
export const peekOldestAgeSeconds = async (
  sqs: SQSClient,
  url: string,
  now: number,
): Promise<number | null> => {
  const { Messages: messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['SentTimestamp'],
    }),
  );
  const sent = messages
    .map((message) => Number(message.Attributes?.SentTimestamp))
    .filter((value) => Number.isFinite(value) && value > 0);
  if (sent.length === 0) return null;
  return Math.max(0, Math.round((now - Math.min(...sent)) / 1000));
};

const queueStatus = async (
  sqs: SQSClient,
  url: string,
  peek: boolean,
  now: number,
): Promise<QueueStatus> => {
  const counts = await queueCounts(sqs, url);
  return {
    name: queueName(url),
    url,
    depth: counts.visible,
    inFlight: counts.inFlight,
    delayed: counts.delayed,
    oldestMessageAgeSeconds:
      peek && counts.visible > 0 ? await peekOldestAgeSeconds(sqs, url, now) : null,
  };
};

/** Reads the sync queue, the DLQ and the archive once. */
export const readStatus = async (
  clients: { sqs: SQSClient; eventBridge: EventBridgeClient },
  options: StatusOptions,
): Promise<PipelineStatus> => {
  const now = (options.now ?? Date.now)();
  const [syncQueue, dlq, archive] = await Promise.all([
    queueStatus(clients.sqs, options.syncQueueUrl, options.peekSyncQueue ?? false, now),
    queueStatus(clients.sqs, options.dlqUrl, options.peekDlq ?? true, now),
    clients.eventBridge
      .send(new DescribeArchiveCommand({ ArchiveName: options.archiveName }))
      .then(
        (described): ArchiveStatus => ({
          name: options.archiveName,
          ...(described.State ? { state: described.State } : {}),
          ...(described.EventCount !== undefined ? { eventCount: described.EventCount } : {}),
          ...(described.SizeBytes !== undefined ? { sizeBytes: described.SizeBytes } : {}),
          ...(described.RetentionDays !== undefined
            ? { retentionDays: described.RetentionDays }
            : {}),
        }),
      )
      .catch(
        (error: unknown): ArchiveStatus => ({
          name: options.archiveName,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      ),
  ]);
  return { at: new Date(now).toISOString(), syncQueue, dlq, archive };
};

const age = (seconds: number | null): string => {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
};

/** The status as text lines for a terminal. */
export const formatStatus = (status: PipelineStatus): string[] => {
  const row = (label: string, queue: QueueStatus): string =>
    `${label.padEnd(11)} ${queue.name.padEnd(40)} depth ${String(queue.depth).padStart(7)}  in flight ${String(queue.inFlight).padStart(6)}  oldest ${age(queue.oldestMessageAgeSeconds)}`;
  const archive = status.archive.error
    ? `archive     ${status.archive.name}: unavailable (${status.archive.error})`
    : `archive     ${status.archive.name.padEnd(40)} events ${status.archive.eventCount ?? '?'}  size ${status.archive.sizeBytes ?? '?'} B  ${status.archive.state ?? ''}`;
  return [
    `status at ${status.at}`,
    row('sync queue', status.syncQueue),
    row('DLQ', status.dlq),
    archive,
  ];
};
