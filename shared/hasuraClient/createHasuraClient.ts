import { GraphQLClient } from 'graphql-request';
import type { AdminSecretProvider } from './adminSecretProvider.js';
import { classifyHasuraError, isSuccessfulAnswer } from './classifyHasuraError.js';
import { graphqlFetchOver } from './graphqlFetch.js';
import type { HasuraRequestError } from './HasuraRequestError.js';
import {
  createHttpTransport,
  type HasuraHttpAnswer,
  type HasuraTransport,
} from './httpTransport.js';
import type { RedactedSecret } from './RedactedSecret.js';
import { secretWithin, startRequestBudget } from './requestBudget.js';

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

/**
 * Creates the one Hasura client of a container (module scope): graphql-request's
 * `GraphQLClient` over a keep-alive connection pool ({@link createHttpTransport}) that survives
 * between invocations. graphql-request sends each operation as a plain GraphQL POST
 * (`{"query", "variables"}`) with `excludeOperationName`, so the document is sent as the string
 * it is, never parsed on the client, which keeps large batched mutations cheap; its `fetch` is
 * {@link graphqlFetchOver} the transport (no WHATWG `fetch` on the path). The answer is a
 * success only when it is HTTP 2xx with `data` and no `errors`; everything else becomes a
 * {@link HasuraRequestError} classified by {@link classifyHasuraError} from Hasura's answer
 * itself: graphql-request's `ClientError`, whose message holds the request's variables, never
 * leaves this function.
 *
 * @example
 * const hasura = createHasuraClient({ endpoint, adminSecret: createAdminSecretProvider(source) });
 * const data = await hasura.request<{ insert_users: { affected_rows: number } }>(doc, vars);
 */
export const createHasuraClient = (options: HasuraClientOptions): HasuraClient => {
  const timeoutMs = options.timeoutMs ?? 5000;
  // Fails at cold start, like the configuration, when the endpoint is not a URL.
  const endpoint = new URL(options.endpoint).href;
  const transport = options.transport ?? createHttpTransport();
  // The complete answer of each request in flight, by its signal: what a failure is judged by.
  const answers = new WeakMap<AbortSignal, HasuraHttpAnswer>();
  const graphql = new GraphQLClient(endpoint, {
    // graphql-request reads only `ok`, `status`, `headers.get` and `text()` of what its fetch
    // returns (graphql-request 7.4, `runRequest`), which is what graphqlFetchOver builds.
    fetch: graphqlFetchOver(transport, (signal, answer) =>
      answers.set(signal, answer),
    ) as unknown as typeof fetch,
    excludeOperationName: true,
    headers: { 'content-type': 'application/json' },
  });
  return {
    async request<T>(
      document: string,
      variables: Record<string, unknown>,
      requestOptions: HasuraRequestOptions = {},
    ): Promise<T> {
      let secret: RedactedSecret | undefined;
      // One time budget for the whole request, fetching the secret included.
      const budget = startRequestBudget(timeoutMs, requestOptions.timeoutMs);
      const { signal } = budget;
      let failure: HasuraRequestError;
      try {
        secret = await secretWithin(options.adminSecret, signal);
        const data: unknown = await graphql.request({
          document,
          variables,
          requestHeaders: { 'x-hasura-admin-secret': secret.reveal() },
          signal,
        });
        const answer = answers.get(signal);
        if (answer !== undefined && isSuccessfulAnswer(answer.status, { data })) return data as T;
        failure = classifyHasuraError(undefined, secret, answer);
      } catch (error) {
        failure = classifyHasuraError(error, secret, answers.get(signal));
      } finally {
        budget.clear();
      }
      // A refused secret may have been rotated: fetch it again for the next request.
      if (failure.code === 'access-denied') options.adminSecret.invalidate?.();
      throw failure;
    },
  };
};
