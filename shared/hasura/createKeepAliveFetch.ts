import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Options of {@link createKeepAliveFetch}. */
export interface KeepAliveFetchOptions {
  /**
   * Concurrent sockets per host.
   * @default 16
   */
  readonly maxSockets?: number;
  /**
   * Idle sockets are closed after this many milliseconds (keep it below the load balancer's
   * idle timeout in front of Hasura).
   * @default 30000
   */
  readonly idleTimeoutMs?: number;
}

/** The `fetch` signature graphql-request calls (it always passes a URL and an init). */
export type MinimalFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const bodyText = (body: RequestInit['body']): string => {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  throw new TypeError('keep-alive fetch: only string bodies are supported');
};

const toHeaders = (message: IncomingMessage): Headers => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
};

/** Statuses whose `Response` must have a null body (the constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The `Response` of an answer. A status `Response` rejects (1xx, 6xx from a broken proxy)
 * throws a `RangeError`, which the caller turns into a rejection.
 */
const toResponse = (message: IncomingMessage, body: string): Response => {
  const status = message.statusCode ?? 502;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
    status,
    headers: toHeaders(message),
  });
};

/**
 * A `fetch` for graphql-request over `node:http(s)` with a keep-alive agent: one pool per
 * container, sockets reused across invocations. Measured on the consumer's batched upsert it
 * costs about a quarter less CPU per request than Node 20's built-in (undici) fetch, which
 * matters at thousands of batches per second. Errors are the usual socket errors
 * (`ECONNREFUSED`, `ECONNRESET`, …) and `AbortError` on timeout, which
 * {@link classifyHasuraError} classifies as transient.
 *
 * @example
 * const client = new GraphQLClient(endpoint, { fetch: createKeepAliveFetch() });
 */
export const createKeepAliveFetch = (options: KeepAliveFetchOptions = {}): MinimalFetch => {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    timeout: options.idleTimeoutMs ?? 30_000,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const body = bodyText(init.body);
      const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? httpsAgent : httpAgent,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (message) => {
          const chunks: Buffer[] = [];
          message.on('data', (chunk: Buffer) => chunks.push(chunk));
          message.on('error', reject);
          message.on('end', () => {
            // Inside an event handler a throw would be an uncaught exception (a crashed
            // container), so an answer `Response` cannot represent becomes a rejection.
            try {
              resolve(toResponse(message, Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
};
