import {
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { UnsupportedOperationError } from './errors.js';
import { sleep } from './rateLimiter.js';

/** Options of {@link replayDlqNative}. */
export interface NativeMoveOptions {
  /** ARN of the DLQ. */
  readonly dlqArn: string;
  /**
   * ARN of the destination queue.
   * @default - SQS moves each message back to the queue it came from
   */
  readonly destinationArn?: string;
  /**
   * Messages per second (SQS allows up to 500).
   * @default - SQS's own rate, up to 500 per second
   */
  readonly perSecond?: number;
  /**
   * Time between two `ListMessageMoveTasks` polls, in milliseconds.
   * @default 2000
   */
  readonly pollIntervalMs?: number;
  /** Stops following the task (the task itself keeps running in SQS). */
  readonly signal?: AbortSignal;
  /** Called after every poll. */
  readonly onProgress?: (task: ListMessageMoveTasksResultEntry) => void;
}

/** Outcome of a native move task. */
export interface NativeMoveResult {
  readonly taskHandle: string;
  /** RUNNING (when following stopped early), COMPLETED, CANCELLED or FAILED. */
  readonly status: string;
  readonly moved: number;
  readonly toMove?: number;
  readonly failureReason?: string;
}

/**
 * True when the endpoint answered in a way that means "this API does not exist here": moto 5.2.5
 * answers `StartMessageMoveTask` with an HTML 500 page (NotImplementedError), others say
 * `InvalidAction` / `UnknownOperationException` or 404/501.
 */
export const isNotImplemented = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (['InvalidAction', 'UnknownOperationException', 'NotImplemented'].includes(error.name)) {
    return true;
  }
  if (status === 404 || status === 501) return true;
  // A 500 whose body is not the protocol's JSON at all is a server without this operation.
  return status === 500 && (error.name === 'SyntaxError' || /Deserialization/i.test(error.message));
};

/**
 * Replays a DLQ with SQS's own `StartMessageMoveTask` (the console's "DLQ redrive") and follows
 * the task with `ListMessageMoveTasks` until it leaves RUNNING.
 *
 * @throws {@link UnsupportedOperationError} when the endpoint does not implement the API.
 */
export const replayDlqNative = async (
  sqs: SQSClient,
  options: NativeMoveOptions,
): Promise<NativeMoveResult> => {
  let taskHandle: string;
  try {
    const response = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: options.dlqArn,
        ...(options.destinationArn ? { DestinationArn: options.destinationArn } : {}),
        ...(options.perSecond
          ? {
              MaxNumberOfMessagesPerSecond: Math.max(
                1,
                Math.min(500, Math.floor(options.perSecond)),
              ),
            }
          : {}),
      }),
    );
    taskHandle = response.TaskHandle ?? '';
  } catch (error) {
    if (isNotImplemented(error)) {
      throw new UnsupportedOperationError(
        'StartMessageMoveTask',
        `the endpoint does not support StartMessageMoveTask (${describeStatus(error)}); run replay-dlq without --native to move the messages with receive/send/delete`,
        { cause: error },
      );
    }
    throw error;
  }

  for (;;) {
    const { Results: tasks = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: options.dlqArn, MaxResults: 10 }),
    );
    const task = tasks.find((entry) => entry.TaskHandle === taskHandle) ?? tasks[0];
    if (task) options.onProgress?.(task);
    const status = task?.Status ?? 'RUNNING';
    if (status !== 'RUNNING' || options.signal?.aborted) {
      return {
        taskHandle,
        status,
        moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
        ...(task?.ApproximateNumberOfMessagesToMove !== undefined
          ? { toMove: task.ApproximateNumberOfMessagesToMove }
          : {}),
        ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
    }
    await sleep(options.pollIntervalMs ?? 2000);
  }
};

const describeStatus = (error: unknown): string => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = error instanceof Error ? error.name : 'error';
  return status ? `HTTP ${status}, ${name}` : name;
};
