/**
 * Hasura's error shapes and codes, and the mapping from PostgreSQL errors to them.
 *
 * `/v1/graphql` answers every error with HTTP 200 (Hasura sets the status of every GraphQL
 * error to 200) and `{"errors":[{"message","extensions":{"path","code"}}]}`, plus
 * `extensions.internal` on an error that carries one, for admin requests
 * (HASURA_GRAPHQL_ADMIN_INTERNAL_ERRORS, default true) or for every role in dev mode; the other
 * APIs (`/v1/query`, unknown routes) answer with the HTTP status and `{"path","error","code"}`.
 */

/** A Hasura error code, as found in `extensions.code` (or `code` on the non-GraphQL APIs). */
export type HasuraErrorCode =
  | 'validation-failed'
  | 'parse-failed'
  | 'constraint-violation'
  | 'constraint-error'
  | 'permission-error'
  | 'permission-denied'
  | 'data-exception'
  | 'access-denied'
  | 'invalid-headers'
  | 'invalid-jwt'
  | 'jwt-invalid-claims'
  | 'jwt-missing-role-claims'
  | 'postgres-error'
  | 'not-found'
  | 'not-exists'
  | 'already-exists'
  | 'already-tracked'
  | 'invalid-json'
  | 'bad-request'
  | 'not-supported'
  | 'unexpected';

/** An error the engine answers the client with, in Hasura's shape. */
export class HasuraError extends Error {
  /** Hasura's error code. */
  public readonly code: HasuraErrorCode;
  /** JSON path of the offending input, e.g. `$.selectionSet.insert_users.args.objects`. */
  public readonly path: string;
  /** HTTP status on the non-GraphQL APIs. @default 400 */
  public readonly status: number;
  /**
   * What Hasura adds as `extensions.internal` (its `qeInternal`), e.g. the failed statement
   * and database error of an `unexpected` "database query error" (see {@link InternalError}).
   * @default undefined - none: Hasura's expected errors (constraint, data) carry none
   */
  public readonly internal: InternalError | undefined;

  public constructor(
    code: HasuraErrorCode,
    message: string,
    path = '$',
    options: { status?: number; cause?: unknown; internal?: InternalError | undefined } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HasuraError';
    this.code = code;
    this.path = path;
    this.status = options.status ?? 400;
    this.internal = options.internal;
  }

  /** The same error at another path (the error paths of Hasura name the root field). */
  public at(path: string): HasuraError {
    return new HasuraError(this.code, this.message, path, {
      status: this.status,
      cause: this,
      internal: this.internal,
    });
  }
}

/**
 * Hasura's `internal` of a failed statement: the JSON of pg-client's `PGTxErr`. `error` is the
 * server's error detail, or the driver's text when no server answer was read (a lost
 * connection). Hasura writes each argument with Haskell's `show`; the engine writes its text.
 */
export interface InternalError {
  readonly statement: string;
  readonly arguments: readonly string[];
  readonly prepared: boolean;
  readonly error:
    | {
        readonly exec_status: 'FatalError';
        readonly status_code: string;
        readonly message: string;
        readonly description: string | null;
        readonly hint: string | null;
      }
    | string;
}

/** The statement a database error came from. */
export interface FailedStatement {
  /** Its SQL text. */
  readonly text: string;
  /** Its parameters. */
  readonly params: readonly unknown[];
  /** Whether it ran as a prepared statement. */
  readonly prepared: boolean;
}

/** Type guard for {@link HasuraError}, by name so it works across realms. */
export const isHasuraError = (error: unknown): error is HasuraError =>
  error instanceof Error && error.name === 'HasuraError';

/**
 * The `/v1/graphql` body of one or more errors.
 *
 * @param includeInternal - add `extensions.internal` to the errors that carry one: Hasura does
 *   for admin requests (HASURA_GRAPHQL_ADMIN_INTERNAL_ERRORS, default true) and, in dev mode
 *   (HASURA_GRAPHQL_DEV_MODE), for every role.
 */
export const graphqlErrorBody = (
  errors: readonly HasuraError[],
  includeInternal = false,
): { errors: { message: string; extensions: Record<string, unknown> }[] } => ({
  errors: errors.map((error) => ({
    message: error.message,
    extensions: {
      path: error.path,
      code: error.code,
      ...(includeInternal && error.internal !== undefined ? { internal: error.internal } : {}),
    },
  })),
});

/** The body Hasura's non-GraphQL APIs answer an error with. */
export const apiErrorBody = (
  error: HasuraError,
): { path: string; error: string; code: string } => ({
  path: error.path,
  error: error.message,
  code: error.code,
});

/** Hasura's answer to an unknown route (HTTP 404). */
export const notFoundBody = (): { path: string; error: string; code: string } => ({
  path: '$',
  error: 'resource does not exist',
  code: 'not-found',
});

/** What the PostgreSQL drivers (pg and PGlite) put on a server error. */
interface PostgresErrorFields {
  code?: unknown;
  detail?: unknown;
  hint?: unknown;
}

/**
 * Integrity violations (class 23) and the text Hasura writes before the server's message, with
 * its code: a check violation is a `permission-error` (Hasura's `dmlTxErrorHandler`).
 */
const INTEGRITY_VIOLATIONS: Readonly<Record<string, readonly [HasuraErrorCode, string]>> = {
  '23001': ['constraint-violation', 'Can not delete or update due to data being referred. '],
  '23502': ['constraint-violation', 'Not-NULL violation. '],
  '23503': ['constraint-violation', 'Foreign key violation. '],
  '23505': ['constraint-violation', 'Uniqueness violation. '],
  '23514': ['permission-error', 'Check constraint violation. '],
  '23P01': ['constraint-violation', 'Exclusion violation. '],
};

/** The SQLSTATE of a PostgreSQL error, if the value is one. */
export const sqlState = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as PostgresErrorFields;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

const textOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

const argumentText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? null);

/** Hasura's `internal` of a statement that failed with `error`. */
const internalOf = (error: unknown, statement: FailedStatement | undefined): InternalError => {
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PostgresErrorFields;
  return {
    statement: statement?.text ?? '',
    arguments: (statement?.params ?? []).map(argumentText),
    prepared: statement?.prepared ?? false,
    error:
      state === undefined
        ? message
        : {
            exec_status: 'FatalError',
            status_code: state,
            message,
            description: textOrNull(fields.detail),
            hint: textOrNull(fields.hint),
          },
  };
};

/**
 * Maps an error thrown by the database to the error Hasura answers a GraphQL request with, as
 * Hasura's `dmlTxErrorHandler` does: integrity violations (23) → `constraint-violation` with
 * Hasura's prefix (a check violation → `permission-error`), data exceptions (22) →
 * `data-exception` (an invalid escape sequence → `bad-request`), undefined object (42704) and
 * invalid column reference (42P10) → `constraint-error`; every other error (a deadlock 40P01, a
 * serialization failure 40001, a lock timeout 55P03, a statement timeout 57014, a trigger's
 * RAISE EXCEPTION P0001, insufficient privilege 42501, a lost connection) → `unexpected`
 * "database query error" (HTTP 500 on the other APIs) whose `internal` holds `statement`.
 */
export const fromPostgresError = (
  error: unknown,
  path: string,
  statement?: FailedStatement,
): HasuraError => {
  if (isHasuraError(error)) return error;
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (state !== undefined) {
    const integrity = INTEGRITY_VIOLATIONS[state];
    if (integrity !== undefined) {
      return new HasuraError(integrity[0], `${integrity[1]}${message}`, path, { cause: error });
    }
    if (state.startsWith('23')) {
      return new HasuraError('constraint-violation', message, path, { cause: error });
    }
    if (state === '22025') return new HasuraError('bad-request', message, path, { cause: error });
    if (state.startsWith('22')) {
      return new HasuraError('data-exception', message, path, { cause: error });
    }
    if (state === '42P10') {
      return new HasuraError(
        'constraint-error',
        'there is no unique or exclusion constraint on target column(s)',
        path,
        { cause: error },
      );
    }
    if (state === '42704') {
      return new HasuraError('constraint-error', message, path, { cause: error });
    }
  }
  return new HasuraError('unexpected', 'database query error', path, {
    status: 500,
    cause: error,
    internal: internalOf(error, statement),
  });
};

/** Maps a database error in `run_sql` to the `/v1/query` error Hasura answers with. */
export const fromRunSqlError = (error: unknown, path: string): HasuraError => {
  if (isHasuraError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HasuraError('postgres-error', `query execution failed: ${message}`, path, {
    cause: error,
  });
};
