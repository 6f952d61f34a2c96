/**
 * Runs `task` until `deadlineAt` (epoch ms). At the deadline the task's signal is aborted (the
 * SDK destroys the socket) and the returned promise rejects with `onTimeout()`, whether or not
 * the task honours the signal: the caller's time is bounded even by code that ignores aborts.
 *
 * @param deadlineAt - epoch milliseconds, on the same clock as `now`.
 * @param task - the work; pass `signal` on as the SDK's `abortSignal`.
 * @param onTimeout - the error to reject with when the deadline passes first.
 * @param now - the clock.
 * @default now - `Date.now`
 *
 * @example
 * const output = await withDeadline(
 *   Date.now() + 600,
 *   (signal) => client.send(command, { abortSignal: signal }),
 *   () => new PublishTimeoutError('EventBridge', 600),
 * );
 */
export const withDeadline = async <T>(
  deadlineAt: number,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => Error,
  now: () => number = Date.now,
): Promise<T> => {
  const controller = new AbortController();
  const remainingMs = deadlineAt - now();
  if (remainingMs <= 0) throw onTimeout();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = onTimeout();
      controller.abort(error);
      reject(error);
    }, remainingMs);
  });
  try {
    // Promise.race subscribes to both, so a late rejection of the task is never unhandled.
    return await Promise.race([task(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
};
