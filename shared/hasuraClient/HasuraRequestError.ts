import { SyncError } from '../errors.js';

/**
 * What a failed Hasura request means for the records in it (how to react to each class is
 * the table `HASURA_FAILURE_REACTIONS` of `classifyHasuraError.ts`):
 * - `transient`: the request may succeed later (network, timeout, 5xx, database unavailable):
 *   retry with backoff, then fail the records back to SQS;
 * - `ambiguous`: the database failed the statement and Hasura does not say why (`unexpected`,
 *   "database query error"): contention that passes (deadlock, serialization failure, lock or
 *   statement timeout) or a row the database refuses (an application trigger raising): retry a
 *   few times, then split the batch like a data failure;
 * - `data`: some record in the request is unacceptable (constraint, data exception,
 *   permission, a rejected value): split the batch to find it, write the rest;
 * - `other`: retrying or splitting cannot help (bad admin secret, wrong table name, an
 *   unreadable answer): fail the records back at once and alert.
 */
export type HasuraFailureClass = 'transient' | 'ambiguous' | 'data' | 'other';

/**
 * A request to Hasura failed, with its class decided once, where the failure is built: by
 * `classifyHasuraAnswer` (an answer that is not a success) and `classifyHasuraError` (what the
 * transport threw) in the Hasura client, and by the few places that fail for a reason of their
 * own: the admin secret provider and the client's secret timeout (`secret-unavailable`), the
 * writer (`invalid-response`, an answer without the requested fields) and the retry loop
 * (`time-budget`). Callers read the class off the error and never classify it again. The
 * message holds the Hasura error code and message (scrubbed of the admin secret), never the
 * request's variables.
 */
export class HasuraRequestError extends SyncError {
  /** How the consumer must react; see {@link HasuraFailureClass}. */
  public readonly failureClass: HasuraFailureClass;
  /**
   * Hasura's `errors[0].extensions.code`, or one of `network-error`, `timeout`, `http-<status>`,
   * `invalid-response`, `secret-unavailable`, `time-budget` (no time left to try).
   */
  public readonly code: string;
  /** HTTP status of the answer, when there was one. */
  public readonly status: number | undefined;
  /** Hasura's `errors[0].extensions.path` (e.g. `$.selectionSet.insert_users.args.objects`). */
  public readonly path: string | undefined;
  /**
   * The PostgreSQL SQLSTATE behind an `unexpected` error (e.g. `40P01`), when Hasura showed it
   * in `extensions.internal` (admin requests by default, every role in dev mode).
   */
  public readonly sqlState: string | undefined;

  public constructor(
    failureClass: HasuraFailureClass,
    code: string,
    message: string,
    details: {
      status?: number | undefined;
      path?: string | undefined;
      sqlState?: string | undefined;
      cause?: unknown;
    } = {},
  ) {
    super(`Hasura request failed (${failureClass}, ${code}): ${message}`, {
      cause: details.cause,
    });
    this.name = 'HasuraRequestError';
    this.failureClass = failureClass;
    this.code = code;
    this.status = details.status;
    this.path = details.path;
    this.sqlState = details.sqlState;
  }
}

/** Type guard for {@link HasuraRequestError}, by name so it works across realms. */
export const isHasuraRequestError = (error: unknown): error is HasuraRequestError =>
  error instanceof Error && error.name === 'HasuraRequestError';
