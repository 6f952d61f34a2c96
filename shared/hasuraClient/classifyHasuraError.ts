import {
  type HasuraFailureClass,
  HasuraRequestError,
  isHasuraRequestError,
} from './HasuraRequestError.js';
import type { RedactedSecret } from './RedactedSecret.js';

/** How the consumer reacts to a failure class (see {@link HASURA_FAILURE_REACTIONS}). */
export interface FailureReaction {
  /**
   * Attempts of one request, the first included: `'configured'` is the consumer's
   * `HASURA_RETRY_MAX_ATTEMPTS`; a number is a bound of its own (never above the configured one).
   * Every retry waits an exponential backoff with full jitter and stops before the time budget.
   */
  readonly attempts: 'configured' | number;
  /** Whether a failed request of several rows is split in halves to isolate the rows at fault. */
  readonly isolate: boolean;
}

/**
 * Attempts of one request that failed `ambiguous`: enough to ride out a deadlock or a lock held
 * for a moment, few enough that a row the database always refuses is isolated quickly (each
 * bisection level tries again).
 */
export const AMBIGUOUS_MAX_ATTEMPTS = 3;

/**
 * What each failure class means for the request that failed, in one table: every caller (the
 * retry loop, the bisection) asks it instead of deciding again.
 *
 * | class | attempts of one request | split the batch |
 * |---|---|---|
 * | `transient` | `HASURA_RETRY_MAX_ATTEMPTS` | no: every half would fail the same way |
 * | `ambiguous` | {@link AMBIGUOUS_MAX_ATTEMPTS} | yes: a row held or refused fails alone |
 * | `data` | 1 | yes |
 * | `other` | 1 | no: fail the records back at once |
 */
export const HASURA_FAILURE_REACTIONS: Readonly<Record<HasuraFailureClass, FailureReaction>> = {
  transient: { attempts: 'configured', isolate: false },
  ambiguous: { attempts: AMBIGUOUS_MAX_ATTEMPTS, isolate: true },
  data: { attempts: 1, isolate: true },
  other: { attempts: 1, isolate: false },
};

/**
 * Attempts one request gets when it fails with `failureClass`, the first included.
 *
 * @param failureClass - the class of its last failure.
 * @param configuredMaxAttempts - the consumer's `HASURA_RETRY_MAX_ATTEMPTS`.
 */
export const attemptsFor = (
  failureClass: HasuraFailureClass,
  configuredMaxAttempts: number,
): number => {
  const { attempts } = HASURA_FAILURE_REACTIONS[failureClass];
  return attempts === 'configured'
    ? configuredMaxAttempts
    : Math.min(attempts, configuredMaxAttempts);
};

/**
 * Whether a request of several rows that failed with `failureClass` is split to isolate the rows
 * at fault.
 *
 * @param failureClass - the class of the request's last failure.
 */
export const isolatesRows = (failureClass: HasuraFailureClass): boolean =>
  HASURA_FAILURE_REACTIONS[failureClass].isolate;

/** Hasura error codes caused by the values of some rows: isolate those rows. */
const DATA_CODES = new Set(['constraint-violation', 'data-exception', 'permission-error']);
/** Hasura error codes that say "the database is unavailable or busy": retry. */
const TRANSIENT_CODES = new Set(['postgres-error', 'concurrent-update', 'connection-error']);
/** Codes that reject a request shape; data errors only when they point at an input value. */
const VALUE_CODES = new Set(['validation-failed', 'parse-failed']);
/** Node/undici socket error codes: the request never got a usable answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/**
 * The SQLSTATE behind Hasura's `unexpected` (its `extensions.internal.error.status_code`), by
 * prefix, when it is not `ambiguous` (PostgreSQL manual, appendix A). Hasura's mutations answer
 * `unexpected` for every SQLSTATE but integrity (23), data (22) and two of class 42; among them
 * 40001 serialization failure, 40P01 deadlock, 55P03 lock timeout and 57014 statement timeout
 * are `ambiguous`: retried, then isolated.
 */
const SQLSTATE_CLASSES: ReadonlyArray<readonly [prefix: string, failureClass: HasuraFailureClass]> =
  [
    ['08', 'transient'], // connection exception
    ['53', 'transient'], // insufficient resources: too many connections, out of memory, disk full
    ['57P', 'transient'], // the server is shutting down, crashed or starting up
    ['P0', 'data'], // PL/pgSQL RAISE or ASSERT: a trigger refuses the row
    ['22', 'data'], // data exception raised where Hasura does not expect one (a trigger)
    ['23', 'data'], // integrity violation raised where Hasura does not expect one (a trigger)
    ['54', 'data'], // program limit exceeded (a statement too large): halves pass
    ['42', 'other'], // undefined function or table, missing privilege: fix the schema or grants
  ];
/** An `unexpected` whose text says the database connection is gone or the server unavailable. */
const CONNECTION_TEXT = /connection|timeout|terminat|shut ?down/i;
/** An input value: `…args.objects[3].email`, `…args.object.email`, `…args.objects`. */
const VALUE_PATH = /\.args\.objects?(\[\d+\])?(\.|$)/;
const MAX_MESSAGE_LENGTH = 300;

interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; path?: unknown; internal?: unknown };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The `code` of an error or of any error in its `cause` chain. */
const socketCode = (error: unknown): string | undefined => {
  for (let current = error, depth = 0; isObject(current) && depth < 5; depth += 1) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return current.code;
    current = current.cause;
  }
  return undefined;
};

/**
 * What Hasura's `extensions.internal` says of the database error: its SQLSTATE when the
 * statement failed on the server, or the driver's text when the connection failed (Hasura's
 * `PGTxErr`: `{statement, arguments, prepared, error}`). Never copied into a message: it holds
 * the statement and its arguments.
 */
const internalErrorOf = (internal: unknown): { sqlState?: string; text: string } => {
  if (!isObject(internal)) return { text: '' };
  const { error } = internal;
  if (typeof error === 'string') return { text: error };
  if (isObject(error) && typeof error.status_code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(error.status_code)) return { sqlState: error.status_code, text: '' };
  }
  return { text: '' };
};

/** Hasura's `unexpected` (a database error it does not map): by SQLSTATE when it shows it. */
const classOfUnexpected = (
  message: string,
  internal: { sqlState?: string; text: string },
): HasuraFailureClass => {
  if (internal.sqlState !== undefined) {
    const state = internal.sqlState;
    return SQLSTATE_CLASSES.find(([prefix]) => state.startsWith(prefix))?.[1] ?? 'ambiguous';
  }
  // Without the SQLSTATE: connection trouble by its text, anything else may be either.
  return CONNECTION_TEXT.test(message) || CONNECTION_TEXT.test(internal.text)
    ? 'transient'
    : 'ambiguous';
};

const classOfGraphQLError = (
  code: string,
  path: string,
  message: string,
  internal: { sqlState?: string; text: string },
): HasuraFailureClass => {
  if (TRANSIENT_CODES.has(code)) return 'transient';
  if (DATA_CODES.has(code)) return 'data';
  // A schema mistake (unknown column in the map) also has a value path: it is not the row's fault.
  if (VALUE_CODES.has(code)) {
    return VALUE_PATH.test(path) && !/not found in type/i.test(message) ? 'data' : 'other';
  }
  if (code === 'unexpected') return classOfUnexpected(message, internal);
  return 'other';
};

const isHttpSuccess = (status: number): boolean => status >= 200 && status < 300;

/** The GraphQL errors of a parsed answer, or none. */
const errorsOf = (body: unknown): unknown[] =>
  isObject(body) && Array.isArray(body.errors) ? body.errors : [];

/**
 * Whether a Hasura answer is a success: HTTP 2xx, a JSON object with `data` and no `errors`.
 *
 * @param status - the HTTP status.
 * @param body - the parsed body (`undefined` when it is not JSON).
 */
export const isSuccessfulAnswer = (
  status: number,
  body: unknown,
): body is { data: Record<string, unknown> } =>
  isHttpSuccess(status) && isObject(body) && isObject(body.data) && errorsOf(body).length === 0;

/**
 * The other half of the one place that decides what a failure means: an answer that is not a
 * success (see {@link isSuccessfulAnswer}). Hasura answers GraphQL errors with HTTP 200 and
 * `errors[].extensions.code`; gateways in front of it answer 5xx/429 with any body.
 *
 * @param status - the HTTP status.
 * @param body - the parsed body (`undefined` when it is not JSON).
 * @param secret - the admin secret to scrub from messages.
 */
export const classifyHasuraAnswer = (
  status: number,
  body: unknown,
  secret?: RedactedSecret,
): HasuraRequestError => {
  const first: GraphQLErrorShape | undefined = errorsOf(body).find(isObject);
  // A gateway or Hasura itself in trouble: whatever the body says, a 5xx/429/408 is worth a retry.
  const retryableStatus = (status >= 500 && status < 600) || status === 429 || status === 408;
  if (first === undefined) {
    if (isHttpSuccess(status)) {
      const what = body === undefined ? 'a body that is not JSON' : 'neither data nor errors';
      return new HasuraRequestError('other', 'invalid-response', `Hasura answered ${what}`, {
        status,
      });
    }
    // 413: the batch is too large for a proxy in front of Hasura; halves will pass.
    const failureClass = retryableStatus ? 'transient' : status === 413 ? 'data' : 'other';
    return new HasuraRequestError(
      failureClass,
      `http-${status}`,
      `HTTP ${status} without GraphQL errors`,
      { status },
    );
  }
  const scrub = (text: string): string => (secret === undefined ? text : secret.scrub(text));
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'unknown';
  const path = typeof first.extensions?.path === 'string' ? first.extensions.path : '';
  const message = scrub(String(first.message ?? '')).slice(0, MAX_MESSAGE_LENGTH);
  const internal =
    code === 'unexpected' ? internalErrorOf(first.extensions?.internal) : { text: '' };
  const failureClass = retryableStatus
    ? 'transient'
    : classOfGraphQLError(code, path, message, internal);
  return new HasuraRequestError(failureClass, code, message, {
    status,
    path: path === '' ? undefined : path,
    sqlState: internal.sqlState,
  });
};

/** The body of an answer as JSON, or `undefined` when it is not JSON. */
const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * graphql-request's `ClientError` (it sets no `name`): `response` holds Hasura's answer, and its
 * message and `request` hold the request's variables, which are never read here.
 */
const clientErrorAnswer = (error: unknown): { status: number; body: unknown } | undefined => {
  if (!isObject(error) || !('request' in error) || !isObject(error.response)) return undefined;
  const { status, errors } = error.response;
  return typeof status === 'number' ? { status, body: { errors } } : undefined;
};

/**
 * THE place that decides what a failed Hasura request means (see {@link HasuraFailureClass};
 * how to react to each class is {@link HASURA_FAILURE_REACTIONS}): Hasura's complete answer when
 * one arrived (judged by {@link classifyHasuraAnswer}, whatever the GraphQL client threw while
 * reading it), else what was thrown (a socket error, a timeout, a {@link HasuraRequestError}
 * already built, graphql-request's `ClientError`, anything else).
 *
 * | failure | class |
 * |---|---|
 * | socket error, DNS, connection refused/reset, timeout/abort | transient |
 * | HTTP 5xx, 429, 408 | transient |
 * | HTTP 413 (request too large: splitting the batch helps) | data |
 * | `postgres-error` (e.g. "connection error"), `concurrent-update` | transient |
 * | `unexpected` "database query error": SQLSTATE 40001, 40P01, 55P03, 57014, or not shown | ambiguous |
 * | `unexpected` with SQLSTATE 08, 53, 57P (server unavailable), or a connection text | transient |
 * | `unexpected` with SQLSTATE P0 (a trigger raising), 22, 23, 54 | data |
 * | `unexpected` with SQLSTATE 42 (undefined object, privilege) | other |
 * | `constraint-violation`, `data-exception`, `permission-error` | data |
 * | `validation-failed` / `parse-failed` on an input value (`…args.objects[i].col`) | data |
 * | `access-denied`, `invalid-jwt`, unknown field/table, other 4xx, unreadable body | other |
 *
 * The returned error's message never contains the request variables: graphql-request's
 * `ClientError` (whose message does) is classified from its answer, never from its text; `secret`
 * (when given) is scrubbed from every text taken from the failure. The original error is not
 * chained as `cause`: a GraphQL client's error may carry the request.
 *
 * @param error - what the request threw (`undefined` when it resolved without usable `data`).
 * @param secret - the admin secret to scrub from messages.
 * @param answer - Hasura's complete answer, when one arrived.
 */
export const classifyHasuraError = (
  error: unknown,
  secret?: RedactedSecret,
  answer?: { readonly status: number; readonly body: string },
): HasuraRequestError => {
  if (isHasuraRequestError(error)) return error;
  if (answer !== undefined)
    return classifyHasuraAnswer(answer.status, parseBody(answer.body), secret);
  const fromClientError = clientErrorAnswer(error);
  if (fromClientError !== undefined) {
    return classifyHasuraAnswer(fromClientError.status, fromClientError.body, secret);
  }
  const scrub = (text: string): string => (secret === undefined ? text : secret.scrub(text));
  // Duck-typed: fetch's DOMException may come from another realm than this module's Error.
  if (isObject(error) && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new HasuraRequestError('transient', 'timeout', 'no answer within the request timeout');
  }
  const networkCode = socketCode(error);
  if (networkCode !== undefined) {
    return new HasuraRequestError(
      'transient',
      'network-error',
      `connection failed (${networkCode})`,
    );
  }
  if (isObject(error) && error.message === 'fetch failed') {
    return new HasuraRequestError('transient', 'network-error', 'connection failed');
  }
  const text = error instanceof Error ? error.message : String(error);
  return new HasuraRequestError(
    'other',
    'invalid-response',
    scrub(text).slice(0, MAX_MESSAGE_LENGTH),
  );
};
