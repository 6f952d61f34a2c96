import type { AdminSecretProvider } from './adminSecretProvider.js';
import {
  classifyHasuraAnswer,
  classifyHasuraError,
  isSuccessfulAnswer,
} from './classifyHasuraError.js';
import { HasuraRequestError } from './HasuraRequestError.js';
import { createHttpTransport, type HasuraTransport } from './httpTransport.js';
import type { RedactedSecret } from './RedactedSecret.js';

/** Options of {@link createHasuraClient}. */
export interface HasuraClientOptions {
  /** The full GraphQL URL, e.g. `https://hasura.example.com/v1/graphql`. */
  readonly endpoint: string;
  /**
   * Supplies the admin secret sent as `x-hasura-admin-secret`; invalidated when Hasura
   * answers `access-denied`, so a rotated secret is fetched again.
   */
  readonly adminSecret: AdminSecretProvider;
  /**
   * Longest wait for one answer, milliseconds: the one cap of every request's timeout (a request
   * may ask for less, e.g. the time left in its invocation).
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * How requests travel (tests, proxies, or `fetchTransport(fetch)` for Node's global fetch).
   * @default createHttpTransport() - node:http(s) with a keep-alive agent
   */
  readonly transport?: HasuraTransport;
}

/** Per-request options of {@link HasuraClient.request}. */
export interface HasuraRequestOptions {
  /**
   * Timeout of this request, milliseconds; capped by the client's `timeoutMs`.
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
}

/** A Hasura GraphQL client whose failures are always classified. */
export interface HasuraClient {
  /**
   * Sends one GraphQL operation; resolves with `data`.
   *
   * @throws {@link HasuraRequestError} for every failure, classified by
   *   {@link classifyHasuraError}.
   */
  request<T>(
    document: string,
    variables: Record<string, unknown>,
    options?: HasuraRequestOptions,
  ): Promise<T>;
}

/** Settles like `promise`, or rejects when `signal` aborts first (the promise keeps running). */
const beforeAbort = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        new HasuraRequestError(
          'transient',
          'secret-unavailable',
          'the admin secret was not available within the request timeout',
        ),
      );
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });

/** What the request's signal aborts with when its time is up (as `AbortSignal.timeout`). */
const timeoutReason = (): DOMException =>
  new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/** The body of the answer as JSON, or `undefined` when it is not JSON. */
const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Creates the one Hasura client of a container (module scope). Each request is a plain GraphQL
 * POST (`{"query", "variables"}`) over a keep-alive connection pool ({@link createHttpTransport})
 * that survives between invocations; the document is sent as the string it is, never parsed on
 * the client, which keeps large batched mutations cheap. The answer is a success only when it
 * is HTTP 2xx with `data` and no `errors`; everything else becomes a classified
 * {@link HasuraRequestError}.
 *
 * @example
 * const hasura = createHasuraClient({ endpoint, adminSecret: createAdminSecretProvider(source) });
 * const data = await hasura.request<{ insert_users: { affected_rows: number } }>(doc, vars);
 */
export const createHasuraClient = (options: HasuraClientOptions): HasuraClient => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const url = new URL(options.endpoint);
  const transport = options.transport ?? createHttpTransport();
  return {
    async request<T>(
      document: string,
      variables: Record<string, unknown>,
      requestOptions: HasuraRequestOptions = {},
    ): Promise<T> {
      let secret: RedactedSecret | undefined;
      const wait = Math.max(1, Math.min(timeoutMs, requestOptions.timeoutMs ?? timeoutMs));
      // One timeout for the whole request, fetching the secret included: a Secrets Manager that
      // does not answer must not hold the batch past the caller's time budget. A plain timer,
      // cleared on the way out: `AbortSignal.timeout` costs several microseconds per request and
      // keeps its timer registered until the signal is collected.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(timeoutReason()), wait);
      const { signal } = controller;
      let failure: HasuraRequestError;
      try {
        secret = await beforeAbort(options.adminSecret(), signal);
        const answer = await transport({
          url,
          headers: {
            'content-type': 'application/json',
            'x-hasura-admin-secret': secret.reveal(),
          },
          body: JSON.stringify({ query: document, variables }),
          signal,
        });
        const body = parseBody(answer.body);
        if (isSuccessfulAnswer(answer.status, body)) return body.data as T;
        failure = classifyHasuraAnswer(answer.status, body, secret);
      } catch (error) {
        failure = classifyHasuraError(error, secret);
      } finally {
        clearTimeout(timer);
      }
      // A refused secret may have been rotated: fetch it again for the next request.
      if (failure.code === 'access-denied') options.adminSecret.invalidate?.();
      throw failure;
    },
  };
};
