import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback } from './loopbackServer.js';

/** A request the fake Hasura received. */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { query: string; variables: Record<string, unknown> };
}

/** What the fake answers. `destroy` drops the connection without an answer. */
export interface FakeAnswer {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly delayMs?: number;
  readonly destroy?: boolean;
}

/** Decides the answer to each request. */
export type Responder = (request: ReceivedRequest, index: number) => FakeAnswer;

/** A running fake Hasura `/v1/graphql` on a loopback port. */
export interface FakeHasura {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  respondWith(responder: Responder): void;
  stop(): Promise<void>;
}

/**
 * A real HTTP server answering like Hasura's `/v1/graphql` (HTTP 200 + `data` or `errors`),
 * so the consumer is tested through its Hasura client, HTTP and sockets.
 */
export const startFakeHasura = async (initial: Responder): Promise<FakeHasura> => {
  let responder = initial;
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      const answer = responder(request, requests.length - 1);
      const send = (): void => {
        if (answer.destroy === true) {
          req.socket.destroy();
          return;
        }
        const payload = answer.text ?? JSON.stringify(answer.json ?? {});
        res.writeHead(answer.status ?? 200, {
          'content-type':
            answer.text === undefined ? 'application/json; charset=utf-8' : 'text/plain',
        });
        res.end(payload);
      };
      if (answer.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  const listener = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${listener.port}/v1/graphql`,
    requests,
    respondWith(next) {
      responder = next;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await listener.stop();
    },
  };
};

/** The aliased multi-row insert fields of a guard-mode request: `r0: insert_users(objects: $r0 …`. */
const INSERT_FIELD = /(\w+): insert_\w+\(objects: \$(\w+)/g;

/** Each aliased insert field of a guard-mode request, with the rows sent for it. */
export const insertFieldsOf = (
  request: ReceivedRequest,
): Array<{ alias: string; rows: Array<Record<string, unknown>> }> =>
  [...request.body.query.matchAll(INSERT_FIELD)].map(([, alias = '', variable = '']) => {
    const rows = request.body.variables[variable];
    return { alias, rows: Array.isArray(rows) ? rows : [] };
  });

/** Rows sent in a guard-mode request (`r0: insert_users(objects: $r0, …)`, every field). */
export const objectsOf = (request: ReceivedRequest): Array<Record<string, unknown>> =>
  insertFieldsOf(request).flatMap((field) => field.rows);

/** Hasura's success answer to a guard-mode insert: every row written (none stale). */
export const insertedAll = (request: ReceivedRequest): FakeAnswer => ({
  json: {
    data: Object.fromEntries(
      insertFieldsOf(request).map(({ alias, rows }) => [alias, { affected_rows: rows.length }]),
    ),
  },
});

/** The `index`-th request received; throws when there is none. */
export const requestAt = (fake: FakeHasura, index: number): ReceivedRequest => {
  const request = fake.requests[index];
  if (request === undefined) throw new Error(`the fake Hasura received no request #${index}`);
  return request;
};
