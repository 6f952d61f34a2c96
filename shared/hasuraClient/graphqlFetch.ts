import type { HasuraHttpAnswer, HasuraTransport } from './httpTransport.js';

/** What graphql-request hands its `fetch`: the URL it parsed, and a WHATWG-like init. */
export interface GraphQLFetchInit {
  readonly method?: string;
  readonly headers?: Headers;
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

/** The part of a WHATWG `Response` graphql-request reads; built from a transport's answer. */
export interface GraphQLFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The `fetch` graphql-request calls. */
export type GraphQLFetch = (url: URL, init: GraphQLFetchInit) => Promise<GraphQLFetchResponse>;

// The client judges an answer by its body, whatever the content type a gateway in front of
// Hasura sets (a JSON body is read as JSON; anything else is an unreadable answer).
const JSON_HEADERS = {
  get: (name: string): string | null =>
    name.toLowerCase() === 'content-type' ? 'application/json' : null,
};

/**
 * A `fetch` for graphql-request over a {@link HasuraTransport}: no WHATWG `Request` or `Response`
 * is built, and no undici is on the path (on the consumer's batched upsert, undici's `fetch`
 * cost more CPU per request than everything else of the client together). `onAnswer` receives
 * each complete answer, with the request's signal, before graphql-request reads it, so the
 * client classifies a failed request from Hasura's answer itself, never from graphql-request's
 * error (whose message carries the request's variables).
 *
 * @param transport - how the POST travels.
 * @param onAnswer - called with every complete answer and the signal of its request.
 */
export const graphqlFetchOver =
  (
    transport: HasuraTransport,
    onAnswer: (signal: AbortSignal, answer: HasuraHttpAnswer) => void,
  ): GraphQLFetch =>
  async (url, init) => {
    const headers: Record<string, string> = {};
    init.headers?.forEach((value, name) => {
      headers[name] = value;
    });
    if (init.signal === undefined || init.signal === null) {
      throw new TypeError('the Hasura client sends every request with its time budget');
    }
    const { signal } = init;
    const answer = await transport({
      url,
      headers,
      body: typeof init.body === 'string' ? init.body : '',
      signal,
    });
    onAnswer(signal, answer);
    return {
      ok: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      headers: JSON_HEADERS,
      text: () => Promise.resolve(answer.body),
    };
  };
