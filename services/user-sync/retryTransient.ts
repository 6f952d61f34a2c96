import { attemptsFor } from '../../shared/hasuraClient/classifyHasuraError.js';
import {
  HasuraRequestError,
  isHasuraRequestError,
} from '../../shared/hasuraClient/HasuraRequestError.js';
import type { RetrySettings } from './config.js';

/** Time and randomness, injectable so tests control them. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** A request shorter than this is not worth starting: the answer would come too late. */
export const MIN_REQUEST_MS = 25;

/** Options of {@link retryTransient}. */
export interface RetryOptions {
  /** Backoff and attempt limits. */
  readonly settings: RetrySettings;
  /** Time, sleep and jitter. */
  readonly clock: Clock;
  /** Epoch ms by which everything must be done (Lambda remaining time − safety margin). */
  readonly deadline: number;
  /** Called before each backoff (logging, metrics). */
  readonly onRetry?: (error: HasuraRequestError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, its failure's class allows no further attempt (see
 * `attemptsFor`: `HASURA_RETRY_MAX_ATTEMPTS` for `transient`, a smaller bound for `ambiguous`,
 * one for `data` and `other`), or the next try could not finish before `deadline`. Backoff is
 * exponential with full jitter: `random() × min(maxDelay, base × 2^n)`. Each attempt is given
 * the time left as its timeout (the Hasura client caps it at `HASURA_REQUEST_TIMEOUT_MS`, the
 * one cap), so the handler always answers SQS before the Lambda timeout.
 *
 * @param attempt - one request; it rejects with a classified {@link HasuraRequestError} (as the
 *   Hasura client does), and any other rejection is passed on untouched.
 * @throws {@link HasuraRequestError}: the last failure, as classified (or `time-budget` when no
 *   time was left for a first try).
 */
export const retryTransient = async <T>(
  attempt: (timeLeftMs: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> => {
  const { settings, clock, deadline } = options;
  for (let tries = 0; ; tries += 1) {
    const left = deadline - clock.now();
    if (left < MIN_REQUEST_MS) {
      throw new HasuraRequestError('transient', 'time-budget', 'no time left in this invocation');
    }
    try {
      return await attempt(left);
    } catch (error) {
      if (!isHasuraRequestError(error)) throw error;
      if (tries + 1 >= attemptsFor(error.failureClass, settings.maxAttempts)) throw error;
      const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** tries);
      const delay = Math.floor(clock.random() * ceiling);
      if (clock.now() + delay + MIN_REQUEST_MS > deadline) throw error;
      options.onRetry?.(error, tries + 1, delay);
      await clock.sleep(delay);
    }
  }
};
