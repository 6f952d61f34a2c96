import type { DetailType } from '../../shared/events/syncEvent.js';
import { isolatesRows } from '../../shared/hasuraClient/classifyHasuraError.js';
import {
  type HasuraRequestError,
  isHasuraRequestError,
} from '../../shared/hasuraClient/HasuraRequestError.js';
import type { RetrySettings } from './config.js';
import type { UserUpsert, WriteCounts } from './createUserUpsert.js';
import type { UserGroup } from './dedupeByUser.js';
import { type Clock, MIN_REQUEST_MS, retryTransient } from './retryTransient.js';

/** A set of users that could not be written, and why. */
export interface FailedGroups {
  /** The users that were not written. */
  readonly groups: readonly UserGroup[];
  /** The classified failure of their last request. */
  readonly error: HasuraRequestError;
}

/** Outcome of {@link syncUserGroups}. */
export interface SyncOutcome {
  /** Rows inserted or updated. */
  written: number;
  /** Rows skipped by the newest-wins rule (stale or repeated events). */
  skipped: number;
  /** HTTP requests sent to Hasura, retries and bisection included. */
  requests: number;
  /** Rows written and skipped per detail type of the written events. */
  readonly byType: Map<DetailType, WriteCounts>;
  /** Groups written or skipped (their records succeed). */
  readonly succeeded: UserGroup[];
  /** Groups that failed, by cause (their records fail back to SQS). */
  readonly failed: FailedGroups[];
}

/** Options of {@link syncUserGroups}. */
export interface SyncOptions {
  /** Writes the rows of a set of events in one request. */
  readonly upsert: UserUpsert;
  /** Backoff of transient failures. */
  readonly retry: RetrySettings;
  /** Time, sleep and jitter. */
  readonly clock: Clock;
  /** Epoch ms by which the last request must be answered. */
  readonly deadline: number;
  /** Called before each backoff. */
  readonly onRetry?: (error: HasuraRequestError, attempt: number, delayMs: number) => void;
}

/**
 * Writes one row per user group: ONE request for all of them in the happy path.
 *
 * Each request is retried as its failure's class says (see {@link retryTransient}), then:
 * - a class that isolates rows (`data`: a row Hasura rejects; `ambiguous`: a database error
 *   Hasura does not name, such as a deadlock, a lock timeout or a trigger raising; the request's
 *   transaction wrote nothing): the set is bisected and each half written on its own, until the
 *   bad rows stand alone and fail while every other row is written (≈ 2·log2(n) extra requests
 *   per bad row, each retried as its class says);
 * - any other class (`transient` after its retries, `other`): the groups of that request fail.
 *
 * No half is started once the deadline leaves no time for a request: the groups fail with the
 * error that stopped them.
 *
 * Halves are written one after the other so a sick Hasura is not hit in parallel.
 */
export const syncUserGroups = async (
  groups: readonly UserGroup[],
  options: SyncOptions,
): Promise<SyncOutcome> => {
  const outcome: SyncOutcome = {
    written: 0,
    skipped: 0,
    requests: 0,
    byType: new Map(),
    succeeded: [],
    failed: [],
  };
  const writesOf = (part: readonly UserGroup[]) => part.map((group) => group.write);

  const writePart = async (part: readonly UserGroup[]): Promise<void> => {
    try {
      const result = await retryTransient(
        (timeoutMs) => {
          outcome.requests += 1;
          return options.upsert.write(writesOf(part), timeoutMs);
        },
        {
          settings: options.retry,
          clock: options.clock,
          deadline: options.deadline,
          ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
        },
      );
      outcome.written += result.written;
      outcome.skipped += result.skipped;
      for (const [type, counts] of result.byType) {
        const total = outcome.byType.get(type);
        if (total === undefined) outcome.byType.set(type, { ...counts });
        else {
          total.written += counts.written;
          total.skipped += counts.skipped;
        }
      }
      outcome.succeeded.push(...part);
    } catch (error) {
      // Classified where it was built (the client, the writer, the retry loop); anything else
      // is a bug, not a record's fate.
      if (!isHasuraRequestError(error)) throw error;
      const timeLeft = options.deadline - options.clock.now() >= MIN_REQUEST_MS;
      if (isolatesRows(error.failureClass) && part.length > 1 && timeLeft) {
        const middle = Math.ceil(part.length / 2);
        await writePart(part.slice(0, middle));
        await writePart(part.slice(middle));
        return;
      }
      outcome.failed.push({ groups: part, error });
    }
  };

  if (groups.length > 0) await writePart(groups);
  return outcome;
};
