import type { AdminSecretProvider } from './adminSecretProvider.js';
import { HasuraRequestError } from './HasuraRequestError.js';
import type { RedactedSecret } from './RedactedSecret.js';

/** The one time budget of a Hasura request: a signal that aborts when it is spent. */
export interface RequestBudget {
  /** Aborts with a `TimeoutError` (as `AbortSignal.timeout` would) when the time is up. */
  readonly signal: AbortSignal;
  /** Stops the timer (call it on the way out, whatever the outcome). */
  clear(): void;
}

/** What the request's signal aborts with when its time is up (as `AbortSignal.timeout`). */
const timeoutReason = (): DOMException =>
  new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Starts the time budget of one request: `requestedMs` (the time left in the invocation, say)
 * capped by the client's `timeoutMs`, at least 1 ms. A plain timer, cleared on the way out:
 * `AbortSignal.timeout` costs several microseconds per request and keeps its timer registered
 * until the signal is collected.
 *
 * @param timeoutMs - the client's cap.
 * @param requestedMs - what the caller asked for.
 * @default requestedMs timeoutMs
 */
export const startRequestBudget = (timeoutMs: number, requestedMs = timeoutMs): RequestBudget => {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(timeoutReason()),
    Math.max(1, Math.min(timeoutMs, requestedMs)),
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};

/**
 * The admin secret, or a transient `secret-unavailable` failure when `signal` aborts first: a
 * Secrets Manager that does not answer must not hold the batch past the caller's time budget
 * (the fetch keeps running and is cached for the next request).
 *
 * @param adminSecret - the client's provider.
 * @param signal - the request's budget.
 */
export const secretWithin = (
  adminSecret: AdminSecretProvider,
  signal: AbortSignal,
): Promise<RedactedSecret> =>
  new Promise<RedactedSecret>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        new HasuraRequestError(
          'transient',
          'secret-unavailable',
          'the admin secret was not available within the request timeout',
        ),
      );
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    adminSecret().then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
