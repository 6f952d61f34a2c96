import { GraphQLClient } from 'graphql-request';
import type { AdminSecretProvider } from './adminSecretProvider.js';
import { classifyHasuraError } from './classifyHasuraError.js';
import { createKeepAliveFetch, type MinimalFetch } from './createKeepAliveFetch.js';
import { HasuraRequestError } from './HasuraRequestError.js';
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
   * Longest wait for one answer, milliseconds (a request may ask for less).
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * The fetch implementation (tests, proxies, `globalThis.fetch`).
   * @default createKeepAliveFetch() - node:http(s) with a keep-alive agent
   */
  readonly fetch?: MinimalFetch;
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

/**
 * Creates the one Hasura client of a container (module scope): a graphql-request
 * `GraphQLClient` over a keep-alive connection pool ({@link createKeepAliveFetch}) that
 * survives between invocations. Documents are sent as strings without being parsed on every request
 * (`excludeOperationName`), which keeps large batched mutations cheap on the client.
 *
 * @example
 * const hasura = createHasuraClient({ endpoint, adminSecret: createAdminSecretProvider(source) });
 * const data = await hasura.request<{ insert_users: { affected_rows: number } }>(doc, vars);
 */
export const createHasuraClient = (options: HasuraClientOptions): HasuraClient => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = new GraphQLClient(options.endpoint, {
    method: 'POST',
    excludeOperationName: true,
    fetch: options.fetch ?? createKeepAliveFetch(),
  });
  return {
    async request<T>(
      document: string,
      variables: Record<string, unknown>,
      requestOptions: HasuraRequestOptions = {},
    ): Promise<T> {
      let secret: RedactedSecret | undefined;
      const wait = Math.max(1, Math.min(timeoutMs, requestOptions.timeoutMs ?? timeoutMs));
      // One timeout for the whole request, fetching the secret included: a Secrets Manager that
      // does not answer must not hold the batch past the caller's time budget.
      const signal = AbortSignal.timeout(wait);
      try {
        secret = await beforeAbort(options.adminSecret(), signal);
        return await client.request<T>({
          document,
          variables,
          requestHeaders: { 'x-hasura-admin-secret': secret.reveal() },
          signal,
        });
      } catch (error) {
        const failure = classifyHasuraError(error, secret);
        // A refused secret may have been rotated: fetch it again for the next request.
        if (failure.code === 'access-denied') options.adminSecret.invalidate?.();
        throw failure;
      }
    },
  };
};
