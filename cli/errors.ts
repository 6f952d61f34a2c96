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
  /** Interrupted by SIGINT / SIGTERM before the work was complete. */
  Interrupted: 130,
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
 * Maps a thrown value to the exit code and the one line the CLI prints for it.
 * Never includes a stack: operators get a sentence, not a trace.
 */
export const toExitOutcome = (error: unknown): { code: ExitCodeValue; message: string } => {
  if (isUsageError(error)) return { code: ExitCode.Usage, message: error.message };
  if (isUnsupportedOperationError(error))
    return { code: ExitCode.Endpoint, message: error.message };
  if (error instanceof Error && error.name === 'ConfigurationError') {
    return { code: ExitCode.Usage, message: error.message };
  }
  if (error instanceof Error && /^Region is missing/.test(error.message)) {
    return { code: ExitCode.Usage, message: 'no AWS region: set AWS_REGION or pass --region' };
  }
  const network = (error as { code?: string } | undefined)?.code;
  if (network && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT'].includes(network)) {
    return {
      code: ExitCode.Endpoint,
      message: `cannot reach the AWS endpoint: ${oneLine((error as Error).message)}`,
    };
  }
  if (isAwsError(error)) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      code: ExitCode.Endpoint,
      message: `AWS call failed: ${(error as Error).name}: ${oneLine(message)}${cause ? ` (${cause})` : ''}`,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: ExitCode.Failed, message: oneLine(message) };
};

/** Collapses a multi-line message into one line. */
export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
