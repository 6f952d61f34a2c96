import { SyncError } from '../errors.js';

/**
 * What a failed Hasura request means for the records in it:
 * - `transient`: the request may succeed later (network, timeout, 5xx, database unavailable):
 *   retry with backoff, then fail the records back to SQS;
 * - `data`: some record in the request is unacceptable (constraint, data exception,
 *   permission, a rejected value): split the batch to find it, write the rest;
 * - `other`: retrying or splitting cannot help (bad admin secret, wrong table name, an
 *   unreadable answer): fail the records back at once and alert.
 */
export type HasuraFailureClass = 'transient' | 'data' | 'other';

/**
 * A request to Hasura failed. Built only by {@link classifyHasuraError}, so every failure has
 * one class. The message holds the Hasura error code and message (scrubbed of the admin
 * secret), never the request's variables.
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

  public constructor(
    failureClass: HasuraFailureClass,
    code: string,
    message: string,
    details: { status?: number | undefined; path?: string | undefined; cause?: unknown } = {},
  ) {
    super(`Hasura request failed (${failureClass}, ${code}): ${message}`, {
      cause: details.cause,
    });
    this.name = 'HasuraRequestError';
    this.failureClass = failureClass;
    this.code = code;
    this.status = details.status;
    this.path = details.path;
  }
}

/** Type guard for {@link HasuraRequestError}, by name so it works across realms. */
export const isHasuraRequestError = (error: unknown): error is HasuraRequestError =>
  error instanceof Error && error.name === 'HasuraRequestError';
