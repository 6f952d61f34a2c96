import {
  type HasuraFailureClass,
  HasuraRequestError,
  isHasuraRequestError,
} from './HasuraRequestError.js';
import type { RedactedSecret } from './RedactedSecret.js';

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
/** An input value: `…args.objects[3].email`, `…args.object.email`, `…args.objects`. */
const VALUE_PATH = /\.args\.objects?(\[\d+\])?(\.|$)/;
const MAX_MESSAGE_LENGTH = 300;

interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; path?: unknown };
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

const classOfGraphQLError = (code: string, path: string, message: string): HasuraFailureClass => {
  if (TRANSIENT_CODES.has(code)) return 'transient';
  if (DATA_CODES.has(code)) return 'data';
  // A schema mistake (unknown column in the map) also has a value path: it is not the row's fault.
  if (VALUE_CODES.has(code)) {
    return VALUE_PATH.test(path) && !/not found in type/i.test(message) ? 'data' : 'other';
  }
  // Hasura reports some database failures as `unexpected`; only connection trouble is worth a retry.
  if (code === 'unexpected' && /connection|timeout|terminat|shut ?down/i.test(message)) {
    return 'transient';
  }
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
  const failureClass = retryableStatus ? 'transient' : classOfGraphQLError(code, path, message);
  return new HasuraRequestError(failureClass, code, message, {
    status,
    path: path === '' ? undefined : path,
  });
};

/**
 * THE place that decides what a failed Hasura request means (see {@link HasuraFailureClass}):
 * what was thrown (a socket error, a timeout, a {@link HasuraRequestError} already built by
 * {@link classifyHasuraAnswer}, anything else).
 *
 * | failure | class |
 * |---|---|
 * | socket error, DNS, connection refused/reset, timeout/abort | transient |
 * | HTTP 5xx, 429, 408 | transient |
 * | HTTP 413 (request too large: splitting the batch helps) | data |
 * | `postgres-error` (e.g. "connection error"), `concurrent-update` | transient |
 * | `constraint-violation`, `data-exception`, `permission-error` | data |
 * | `validation-failed` / `parse-failed` on an input value (`…args.objects[i].col`) | data |
 * | `access-denied`, `invalid-jwt`, unknown field/table, other 4xx, unreadable body | other |
 *
 * The returned error's message never contains the request variables; `secret` (when given) is
 * scrubbed from every text taken from the failure. The original error is not chained as
 * `cause`: a transport's error may carry the request.
 *
 * @param secret - the admin secret to scrub from messages.
 */
export const classifyHasuraError = (
  error: unknown,
  secret?: RedactedSecret,
): HasuraRequestError => {
  if (isHasuraRequestError(error)) return error;
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
