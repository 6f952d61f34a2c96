import { SyncError } from '../shared/errors.js';

/**
 * The CLI's exit codes. Scripts can rely on them; `docs/cli.md` lists them too.
 */
export const ExitCode = {
  /** The work was done completely. */
  Ok: 0,
  /** Some or all of the work failed (messages not moved, a replay that failed, …). */
  Failed: 1,
  /** The arguments are invalid (unknown queue, `--from` after `--to`, a rate that is not a number …). */
  Usage: 2,
  /** The endpoint failed or does not support the operation (moto without `StartMessageMoveTask` …). */
  Endpoint: 3,
  /** `reconcile` found drift (repaired it, or only reported it on a dry run). */
  DriftFound: 4,
  /** `reconcile` stopped before deleting more than `--max-deletes` users; nothing was deleted. */
  MaxDeletesReached: 5,
  /** Interrupted by SIGINT (Ctrl-C) before the work was complete: 128 + 2. */
  Interrupted: 130,
  /** Stopped by SIGTERM (after finishing its current step cleanly): 128 + 15. */
  Terminated: 143,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The operator gave an invalid argument; the message names it. Exit code 2. */
export class UsageError extends SyncError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/**
 * The command refuses to do what was asked because it could harm a live system (a non-local
 * endpoint for `simulate`, a queue that is not the destination's DLQ for `replay-dlq`); the
 * message names the flag that overrides the guard. Exit code 2.
 */
export class RefusedError extends SyncError {
  /** The flag that confirms the operator means it, e.g. `--yes` or `--force`. */
  public readonly override: string;

  public constructor(override: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefusedError';
    this.override = override;
  }
}

/** The endpoint does not support an operation the command needs. Exit code 3. */
export class UnsupportedOperationError extends SyncError {
  /** The API operation, e.g. `StartMessageMoveTask`. */
  public readonly operation: string;

  public constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnsupportedOperationError';
    this.operation = operation;
  }
}

/** Type guard for {@link UsageError}, by name so it works across realms. */
export const isUsageError = (error: unknown): error is UsageError =>
  error instanceof Error && error.name === 'UsageError';

/** Type guard for {@link RefusedError}, by name so it works across realms. */
export const isRefusedError = (error: unknown): error is RefusedError =>
  error instanceof Error && error.name === 'RefusedError';

/** Type guard for {@link UnsupportedOperationError}, by name so it works across realms. */
export const isUnsupportedOperationError = (error: unknown): error is UnsupportedOperationError =>
  error instanceof Error && error.name === 'UnsupportedOperationError';

/** True for an error thrown by an AWS SDK client (it carries `$metadata`) or by its HTTP layer. */
export const isAwsError = (error: unknown): boolean =>
  error instanceof Error &&
  ('$metadata' in error ||
    '$fault' in error ||
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT'].includes(
      (error as { code?: string }).code ?? '',
    ) ||
    error.name === 'TimeoutError' ||
    error.name === 'CredentialsProviderError');

/**
 * The machine-readable `code` of a `--json` error object: one stable word per kind of failure,
 * so scripts branch on it instead of parsing the message.
 */
export const ErrorCode = {
  /** Bad arguments: unknown option, queue, archive, a value out of range (exit 2). */
  Usage: 'usage',
  /** A guard refused the operation; the message names the override flag (exit 2). */
  Refused: 'refused',
  /** Missing or invalid configuration (exit 2). */
  Configuration: 'configuration',
  /** The endpoint cannot be reached (exit 3). */
  Unreachable: 'endpoint-unreachable',
  /** An AWS call failed (exit 3). */
  Aws: 'aws-error',
  /** The endpoint does not support the operation (exit 3). */
  Unsupported: 'unsupported',
  /** Anything else (exit 1). */
  Failed: 'failed',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What the CLI reports for a thrown value: exit code, `--json` code and one line. */
export interface ExitOutcome {
  readonly code: ExitCodeValue;
  readonly errorCode: ErrorCodeValue;
  readonly message: string;
}

/**
 * Maps a thrown value to the exit code, the `--json` error code and the one line the CLI prints
 * for it. Never includes a stack: operators get a sentence, not a trace.
 */
export const toExitOutcome = (error: unknown): ExitOutcome => {
  if (isRefusedError(error)) {
    return { code: ExitCode.Usage, errorCode: ErrorCode.Refused, message: error.message };
  }
  if (isUsageError(error)) {
    return { code: ExitCode.Usage, errorCode: ErrorCode.Usage, message: error.message };
  }
  if (isUnsupportedOperationError(error)) {
    return { code: ExitCode.Endpoint, errorCode: ErrorCode.Unsupported, message: error.message };
  }
  if (error instanceof Error && error.name === 'ConfigurationError') {
    return { code: ExitCode.Usage, errorCode: ErrorCode.Configuration, message: error.message };
  }
  if (error instanceof Error && /^Region is missing/.test(error.message)) {
    return {
      code: ExitCode.Usage,
      errorCode: ErrorCode.Configuration,
      message: 'no AWS region: set AWS_REGION or pass --region',
    };
  }
  const network = (error as { code?: string } | undefined)?.code;
  if (network && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT'].includes(network)) {
    return {
      code: ExitCode.Endpoint,
      errorCode: ErrorCode.Unreachable,
      message: `cannot reach the AWS endpoint: ${oneLine((error as Error).message)}`,
    };
  }
  if (isAwsError(error)) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      code: ExitCode.Endpoint,
      errorCode: ErrorCode.Aws,
      message: `AWS call failed: ${(error as Error).name}: ${oneLine(message)}${cause ? ` (${cause})` : ''}`,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: ExitCode.Failed, errorCode: ErrorCode.Failed, message: oneLine(message) };
};

/** Collapses a multi-line message into one line. */
export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
