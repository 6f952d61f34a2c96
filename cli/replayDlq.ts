import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isMessageOfUser, type MessageSample, resendEntry, sampleOf } from './dlqMessages.js';
import { RateLimiter } from './rateLimiter.js';

/** Options of {@link replayDlq}. */
export interface ReplayDlqOptions {
  /** URL of the dead-letter queue to drain. */
  readonly dlqUrl: string;
  /** URL of the queue the messages go back to. */
  readonly destinationUrl: string;
  /**
   * Count and sample, move nothing.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Move at most this many messages.
   * @default - all
   */
  readonly max?: number;
  /**
   * Messages per second.
   * @default - unlimited
   */
  readonly perSecond?: number;
  /**
   * Only messages of this user (`sub` or username); the others stay in the DLQ.
   * @default - every message
   */
  readonly user?: string;
  /**
   * Only these messages (by SQS message id, which a message keeps when SQS moves it to its
   * DLQ); the others stay in the DLQ. Combines with `user` (both must match).
   * @default - every message
   */
  readonly messageIds?: ReadonlySet<string>;
  /**
   * Visibility timeout of received messages while the command holds them, in seconds. Messages
   * the command skips are released (visibility 0) when it ends; only a killed process leaves
   * them hidden this long.
   * @default 60
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Long-poll wait of each receive; an empty receive ends the run.
   * @default 1
   */
  readonly waitTimeSeconds?: number;
  /**
   * At most this many receives, however the DLQ behaves (new messages arriving as fast as they
   * are scanned, a receive that never comes back empty): the scan stops with
   * `stoppedBecause: 'receive-limit'`.
   * @default - no limit (the scan still ends when receives bring only messages already seen)
   */
  readonly maxReceives?: number;
  /**
   * The scan stops (`stoppedBecause: 'wrapped'`) once a full pass brought nothing new: since the
   * last new message, at least as many messages came back as the scan holds (each held message
   * returned after its visibility timeout), over at least this many receives in a row.
   * @default 2
   */
  readonly repeatReceivesToStop?: number;
  /**
   * Samples kept for the report.
   * @default 3
   */
  readonly sampleSize?: number;
  /** Stops the run after the current batch (SIGINT). */
  readonly signal?: AbortSignal;
  /** Called after every batch. */
  readonly onProgress?: (result: ReplayDlqResult) => void;
}

/**
 * Why a scan ended: `empty` a receive came back empty (the DLQ was read to its end), `max`
 * `--max` reached, `wrapped` receives brought only messages already seen (they came back after
 * their visibility timeout), `receive-limit` the bounded number of receives was reached,
 * `interrupted` the signal.
 */
export type ScanStop = 'empty' | 'max' | 'wrapped' | 'receive-limit' | 'interrupted';

/** What {@link replayDlq} did. */
export interface ReplayDlqResult {
  readonly dryRun: boolean;
  /** Distinct messages received from the DLQ. */
  scanned: number;
  /** ReceiveMessage calls made. */
  receives: number;
  /** Messages received again after their visibility timeout (already scanned). */
  repeats: number;
  /** Why the scan ended. */
  stoppedBecause: ScanStop;
  /** Messages that matched the filter (all, without `--user`). */
  matched: number;
  /** Messages sent to the destination and deleted from the DLQ. */
  moved: number;
  /** Sent, but the delete failed: they stay in the DLQ too (a harmless duplicate). */
  duplicated: number;
  /** Matching messages whose send failed; they stay in the DLQ. */
  failed: number;
  /** Messages left in the DLQ on purpose (filter, `--max`). */
  skipped: number;
  /** Whether the run stopped early on the signal. */
  interrupted: boolean;
  readonly samples: MessageSample[];
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** SendMessageBatch takes at most 256 KiB in all; bigger batches are sent in smaller ones. */
const MAX_BATCH_BYTES = 256 * 1024 - 4096;

/**
 * Moves messages from a DLQ back to their source queue, preserving bodies and attributes.
 *
 * Order of operations is the guarantee: a message is SENT to the destination first and DELETED
 * from the DLQ only after the send succeeded, so an interruption at any point (even SIGKILL) can
 * duplicate a message but never lose one; the consumer is idempotent, so a duplicate is harmless.
 * Messages the filter skips are held invisible during the scan (so the scan advances) and released
 * with visibility 0 at the end, including on SIGINT.
 *
 * The scan is bounded: it ends at an empty receive, at `max`, when a full pass of receives brings
 * back only messages already seen (held messages whose visibility timeout ran out during a long
 * scan), or after `maxReceives`; `stoppedBecause` says which.
 */
export const replayDlq = async (
  sqs: SQSClient,
  options: ReplayDlqOptions,
): Promise<ReplayDlqResult> => {
  const dryRun = options.dryRun ?? false;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const perSecond = options.perSecond;
  // A slow rate sends small batches so messages are not held invisible longer than needed.
  const batchSize = perSecond ? Math.max(1, Math.min(10, Math.floor(perSecond))) : 10;
  const limiter = perSecond ? new RateLimiter({ perSecond, burst: batchSize }) : undefined;
  const fifo = options.destinationUrl.endsWith('.fifo');
  const sampleSize = options.sampleSize ?? 3;
  const result: ReplayDlqResult = {
    dryRun,
    scanned: 0,
    receives: 0,
    repeats: 0,
    stoppedBecause: 'empty',
    matched: 0,
    moved: 0,
    duplicated: 0,
    failed: 0,
    skipped: 0,
    interrupted: false,
    samples: [],
  };
  const held = new Map<string, string>(); // messageId → receipt handle, released at the end
  const seen = new Set<string>();
  const hold = (message: Message): void => {
    if (message.MessageId && message.ReceiptHandle)
      held.set(message.MessageId, message.ReceiptHandle);
  };

  const maxReceives = options.maxReceives ?? Number.POSITIVE_INFINITY;
  const repeatReceivesToStop = options.repeatReceivesToStop ?? 2;
  let repeatOnly = 0;
  let repeatsSinceFresh = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) {
        result.interrupted = true;
        result.stoppedBecause = 'interrupted';
        break;
      }
      const wanted = max - (dryRun ? result.matched : result.moved + result.failed);
      if (wanted <= 0) {
        result.stoppedBecause = 'max';
        break;
      }
      if (result.receives >= maxReceives) {
        result.stoppedBecause = 'receive-limit';
        break;
      }
      result.receives += 1;
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.dlqUrl,
          MaxNumberOfMessages:
            options.user || options.messageIds ? 10 : Math.min(batchSize, wanted),
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (messages.length === 0) {
        result.stoppedBecause = 'empty';
        break;
      }

      const toMove: Message[] = [];
      let fresh = 0;
      for (const message of messages) {
        const id = message.MessageId ?? '';
        // A message seen before came back after its visibility timeout: hold it again.
        if (seen.has(id)) {
          result.repeats += 1;
          hold(message);
          continue;
        }
        fresh += 1;
        seen.add(id);
        result.scanned += 1;
        if (
          (options.user && !isMessageOfUser(message, options.user)) ||
          (options.messageIds && !options.messageIds.has(id))
        ) {
          result.skipped += 1;
          hold(message);
          continue;
        }
        if (result.matched >= max) {
          result.skipped += 1;
          hold(message);
          continue;
        }
        result.matched += 1;
        if (result.samples.length < sampleSize) result.samples.push(sampleOf(message));
        if (dryRun) hold(message);
        else toMove.push(message);
      }

      for (const batch of chunks(toMove, batchSize)) {
        await limiter?.take(batch.length);
        await moveBatch(sqs, options, batch, fifo, result, hold);
      }
      options.onProgress?.(result);
      // A full pass of messages already seen: the scan went round the queue (a DLQ bigger than
      // one visibility timeout's scan would otherwise be read forever, never coming back empty).
      repeatOnly = fresh === 0 ? repeatOnly + 1 : 0;
      repeatsSinceFresh = fresh === 0 ? repeatsSinceFresh + messages.length : 0;
      if (repeatOnly >= repeatReceivesToStop && repeatsSinceFresh >= held.size) {
        result.stoppedBecause = 'wrapped';
        break;
      }
    }
  } finally {
    await release(sqs, options.dlqUrl, [...held.values()]);
  }
  return result;
};

const moveBatch = async (
  sqs: SQSClient,
  options: ReplayDlqOptions,
  batch: Message[],
  fifo: boolean,
  result: ReplayDlqResult,
  hold: (message: Message) => void,
): Promise<void> => {
  const entries = batch.map((message, index) => resendEntry(message, String(index), fifo));
  const bytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
  const groups = bytes > MAX_BATCH_BYTES ? entries.map((entry) => [entry]) : [entries];
  const sent: Message[] = [];
  for (const group of groups) {
    try {
      const response = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: options.destinationUrl, Entries: group }),
      );
      for (const ok of response.Successful ?? []) {
        const message = batch[Number(ok.Id)];
        if (message) sent.push(message);
      }
      for (const failure of response.Failed ?? []) {
        const message = batch[Number(failure.Id)];
        if (message) hold(message);
        result.failed += 1;
      }
    } catch (error) {
      // Nothing of this group was confirmed sent: keep the messages in the DLQ and stop.
      for (const entry of group) {
        const message = batch[Number(entry.Id)];
        if (message) hold(message);
      }
      throw error;
    }
  }
  if (sent.length === 0) return;
  // Only now, after the send succeeded, is the DLQ copy deleted.
  const response = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.dlqUrl,
      Entries: sent.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle ?? '',
      })),
    }),
  );
  const notDeleted = response.Failed?.length ?? 0;
  result.moved += sent.length - notDeleted;
  result.duplicated += notDeleted;
};

/** Makes held messages visible again at once (visibility 0), ten per call. */
const release = async (sqs: SQSClient, queueUrl: string, handles: string[]): Promise<void> => {
  for (const batch of chunks(handles, 10)) {
    await sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((handle, index) => ({
            Id: String(index),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          })),
        }),
      )
      // A failed release only delays the message until its visibility timeout ends.
      .catch(() => undefined);
  }
};
