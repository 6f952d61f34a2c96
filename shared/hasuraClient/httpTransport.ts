import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One POST to Hasura, as the client hands it to a {@link HasuraTransport}. */
export interface HasuraHttpRequest {
  /** The GraphQL endpoint, parsed once when the client is created. */
  readonly url: URL;
  /** Request headers, lower-case names; the transport adds `content-length`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON request body. */
  readonly body: string;
  /** Aborts the exchange (the client's time budget); the promise then rejects. */
  readonly signal: AbortSignal;
}

/** The parts of Hasura's answer the client reads. */
export interface HasuraHttpAnswer {
  /** HTTP status, whatever it is (the client classifies it). */
  readonly status: number;
  /** The whole body, decoded as UTF-8. */
  readonly body: string;
}

/**
 * Sends one request and resolves with the complete answer, any status included. Rejects only
 * when no complete answer arrived: socket errors (`ECONNREFUSED`, `ECONNRESET`, …) or an
 * `AbortError` when `signal` fires; {@link classifyHasuraError} classifies both as transient.
 */
export type HasuraTransport = (request: HasuraHttpRequest) => Promise<HasuraHttpAnswer>;

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /**
   * Concurrent sockets per host.
   * @default 16
   */
  readonly maxSockets?: number;
  /**
   * Idle sockets are closed after this many milliseconds (keep it below the idle timeout of
   * the load balancer in front of Hasura).
   * @default 30000
   */
  readonly idleTimeoutMs?: number;
}

/** The error a transport rejects with when the peer closes before the answer is complete. */
const truncatedAnswer = (): Error =>
  Object.assign(new Error('the connection closed before the answer was complete'), {
    code: 'ECONNRESET',
  });

/**
 * The default transport: `node:http(s)` with a keep-alive agent, one pool per container, so
 * sockets survive between invocations. It builds no WHATWG `Request`/`Response`/`Headers`
 * objects: on the consumer's batched upsert that allocation was a measurable share of the CPU
 * per request (see docs/benchmarks.md).
 *
 * @example
 * const hasura = createHasuraClient({ endpoint, adminSecret, transport: createHttpTransport({ maxSockets: 4 }) });
 */
export const createHttpTransport = (options: HttpTransportOptions = {}): HasuraTransport => {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    timeout: options.idleTimeoutMs ?? 30_000,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  return ({ url, headers, body, signal }) =>
    new Promise<HasuraHttpAnswer>((outerResolve, outerReject) => {
      if (signal.aborted) {
        outerReject(signal.reason);
        return;
      }
      // The signal is watched here rather than passed to `request`: Node's stream
      // `addAbortSignal` costs about as much as the rest of a small request.
      const onAbort = (): void => {
        outgoing.destroy(signal.reason as Error);
      };
      const settle = (): void => signal.removeEventListener('abort', onAbort);
      const resolve = (answer: HasuraHttpAnswer): void => {
        settle();
        outerResolve(answer);
      };
      const reject = (error: unknown): void => {
        settle();
        outerReject(error);
      };
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          agent: secure ? httpsAgent : httpAgent,
        },
        (message) => {
          let text = '';
          let complete = false;
          message.setEncoding('utf8');
          message.on('data', (chunk: string) => {
            text += chunk;
          });
          message.on('error', reject);
          message.on('end', () => {
            complete = true;
            resolve({ status: message.statusCode ?? 0, body: text });
          });
          message.on('close', () => {
            if (!complete) reject(truncatedAnswer());
          });
        },
      );
      outgoing.on('error', reject);
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.end(body);
    });
};

/** The `fetch` signature {@link fetchTransport} needs (the global `fetch` satisfies it). */
export type FetchLike = (
  input: URL,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

/**
 * A transport over any WHATWG `fetch` (Node's global one, a proxy-aware one, a test double).
 * Its socket failures arrive as `TypeError: fetch failed` with the code in `cause`, which
 * {@link classifyHasuraError} understands.
 *
 * @example
 * const hasura = createHasuraClient({ endpoint, adminSecret, transport: fetchTransport(fetch) });
 */
export const fetchTransport =
  (fetch: FetchLike): HasuraTransport =>
  async ({ url, headers, body, signal }) => {
    const response = await fetch(url, { method: 'POST', headers: { ...headers }, body, signal });
    return { status: response.status, body: await response.text() };
  };
