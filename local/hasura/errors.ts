/**
 * Hasura's error shapes and codes, and the mapping from PostgreSQL errors to them.
 *
 * `/v1/graphql` answers every request-level error with HTTP 200 and
 * `{"errors":[{"message","extensions":{"path","code"}}]}`; the other APIs (`/v1/query`,
 * unknown routes) answer with the HTTP status and `{"path","error","code"}`.
 */

/** A Hasura error code, as found in `extensions.code` (or `code` on the non-GraphQL APIs). */
export type HasuraErrorCode =
  | 'validation-failed'
  | 'parse-failed'
  | 'constraint-violation'
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

  public constructor(
    code: HasuraErrorCode,
    message: string,
    path = '$',
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HasuraError';
    this.code = code;
    this.path = path;
    this.status = options.status ?? 400;
  }

  /** The same error at another path (the error paths of Hasura name the root field). */
  public at(path: string): HasuraError {
    return new HasuraError(this.code, this.message, path, { status: this.status, cause: this });
  }
}

/** Type guard for {@link HasuraError}, by name so it works across realms. */
export const isHasuraError = (error: unknown): error is HasuraError =>
  error instanceof Error && error.name === 'HasuraError';

/** The database error behind an error, as Hasura's dev mode shows it in `internal`. */
const internalOf = (
  error: HasuraError,
): { error: { message: string; status_code: string } } | undefined => {
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    const state = sqlState(cause);
    if (state !== undefined) return { error: { message: cause.message, status_code: state } };
    cause = cause.cause;
  }
  return undefined;
};

/**
 * The `/v1/graphql` body of one or more errors.
 *
 * @param devMode - add `extensions.internal` with the database error (HASURA_GRAPHQL_DEV_MODE)
 */
export const graphqlErrorBody = (
  errors: readonly HasuraError[],
  devMode = false,
): { errors: { message: string; extensions: Record<string, unknown> }[] } => ({
  errors: errors.map((error) => {
    const internal = devMode ? internalOf(error) : undefined;
    return {
      message: error.message,
      extensions: {
        path: error.path,
        code: error.code,
        ...(internal === undefined ? {} : { internal }),
      },
    };
  }),
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
  message?: unknown;
}

/** SQLSTATE prefixes of constraint violations and the prefix Hasura writes before the message. */
const CONSTRAINT_PREFIXES: Readonly<Record<string, string>> = {
  '23505': 'Uniqueness violation. ',
  '23502': 'Not-NULL violation. ',
  '23503': 'Foreign key violation. ',
  '23514': 'Check constraint violation. ',
  '23P01': 'Exclusion violation. ',
};

/** The SQLSTATE of a PostgreSQL error, if the value is one. */
export const sqlState = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as PostgresErrorFields;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/**
 * Maps an error thrown by the database to the error Hasura answers a GraphQL request with:
 * integrity violations → `constraint-violation` with Hasura's prefix, data exceptions (22xxx)
 * → `data-exception`, insufficient privilege → `permission-denied`, anything else (including a
 * lost connection) → `unexpected` "database query error", as Hasura does without dev mode.
 */
export const fromPostgresError = (error: unknown, path: string): HasuraError => {
  if (isHasuraError(error)) return error;
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (state !== undefined) {
    const prefix = CONSTRAINT_PREFIXES[state];
    if (prefix !== undefined) {
      return new HasuraError('constraint-violation', `${prefix}${message}`, path, {
        cause: error,
      });
    }
    if (state.startsWith('23')) {
      return new HasuraError(
        'constraint-violation',
        `Integrity constraint violation. ${message}`,
        path,
        {
          cause: error,
        },
      );
    }
    if (state.startsWith('22')) {
      return new HasuraError('data-exception', message, path, { cause: error });
    }
    if (state === '42501') {
      return new HasuraError('permission-denied', message, path, { cause: error });
    }
  }
  return new HasuraError('unexpected', 'database query error', path, {
    status: 500,
    cause: error,
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
