import { SyncError } from '../errors.js';

/** Where a publish attempt went: the EventBridge bus or the fallback sync queue. */
export type PublishTarget = 'EventBridge' | 'SQS';

/**
 * A publish step did not finish before its share of the time budget ran out. The request is
 * aborted; the sign-in goes on.
 */
export class PublishTimeoutError extends SyncError {
  /** The target that did not answer in time. */
  public readonly target: PublishTarget;
  /** The milliseconds the step was given. */
  public readonly timeoutMs: number;

  public constructor(target: PublishTarget, timeoutMs: number) {
    super(`${target} did not answer within ${timeoutMs} ms (the trigger's publish budget)`);
    this.name = 'PublishTimeoutError';
    this.target = target;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * EventBridge answered 200 but rejected the entry (`FailedEntryCount > 0`): the event is not on
 * the bus.
 */
export class EntryRejectedError extends SyncError {
  /** The entry's `ErrorCode`, e.g. `ThrottlingException`, `InternalFailure`. */
  public readonly errorCode: string;

  public constructor(errorCode: string, errorMessage: string) {
    super(`EventBridge rejected the entry: ${errorCode}: ${errorMessage}`);
    this.name = 'EntryRejectedError';
    this.errorCode = errorCode;
  }
}

/** Type guard for {@link PublishTimeoutError}, by name so it works across realms. */
export const isPublishTimeoutError = (error: unknown): error is PublishTimeoutError =>
  error instanceof Error && error.name === 'PublishTimeoutError';

/** Type guard for {@link EntryRejectedError}, by name so it works across realms. */
export const isEntryRejectedError = (error: unknown): error is EntryRejectedError =>
  error instanceof Error && error.name === 'EntryRejectedError';

/**
 * Entry error codes worth one more PutEvents inside the budget: EventBridge's own transient
 * failures. Anything else (a malformed entry, access denied) goes straight to the fallback.
 */
export const RETRYABLE_ENTRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'InternalFailure',
  'InternalException',
  'ServiceUnavailable',
]);
