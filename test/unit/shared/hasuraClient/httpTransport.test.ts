import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createAdminSecretProvider } from '../../../../shared/hasuraClient/adminSecretProvider.js';
import { createHasuraClient } from '../../../../shared/hasuraClient/createHasuraClient.js';
import {
  createHttpTransport,
  fetchTransport,
  type HasuraTransport,
} from '../../../../shared/hasuraClient/httpTransport.js';
import { RedactedSecret } from '../../../../shared/hasuraClient/RedactedSecret.js';

type AnyServer = Server | TcpServer;

const DOCUMENT = 'mutation SyncUsers { insert_users(objects: []) { affected_rows } }';

const listen = async (server: AnyServer): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}/v1/graphql`;
};

/** A server answering every request with `status` and `body`. */
const answering = (status: number, body: string, contentType = 'application/json'): Server =>
  createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
  });

/** A TCP server that answers every request with the raw bytes `raw`. */
const rawAnswering = (raw: string, close: boolean): TcpServer =>
  createTcpServer((socket) => {
    socket.once('data', () => {
      if (close) socket.end(raw);
      else socket.write(raw);
    });
  });

const clientFor = (endpoint: string, transport?: HasuraTransport, timeoutMs = 2000) =>
  createHasuraClient({
    endpoint,
    adminSecret: createAdminSecretProvider({
      kind: 'value',
      secret: new RedactedSecret('transport-test-secret'),
    }),
    timeoutMs,
    ...(transport === undefined ? {} : { transport }),
  });

/** Servers a test started; closed after each test. */
const servers: AnyServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
  }
});

describe('Function: createHttpTransport', () => {
  it('posts the body with its length and reuses the connection for the next request', async () => {
    // Prepare
    const seen: Array<{ port: number; length: string | undefined; body: string }> = [];
    const server = createHttpServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({
          port: request.socket.remotePort ?? 0,
          length: request.headers['content-length'],
          body,
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"data":{"ok":"é"}}');
      });
    });
    servers.push(server);
    const url = new URL(await listen(server));
    const transport = createHttpTransport();
    const send = (body: string) =>
      transport({ url, headers: {}, body, signal: AbortSignal.timeout(2000) });

    // Act
    const first = await send('{"query":"ü"}');
    const second = await send('{}');

    // Assess
    expect(first).toEqual({ status: 200, body: '{"data":{"ok":"é"}}' });
    expect(second.status).toBe(200);
    expect(seen.map(({ length, body }) => [length, body])).toEqual([
      ['14', '{"query":"ü"}'],
      ['2', '{}'],
    ]);
    expect(seen[1]?.port).toBe(seen[0]?.port);
  });

  it('resolves statuses a WHATWG Response cannot hold instead of crashing', async () => {
    // Prepare
    const broken = rawAnswering('HTTP/1.1 600 Broken Proxy\r\ncontent-length: 2\r\n\r\nno', true);
    const empty = answering(204, '');
    servers.push(broken, empty);
    const transport = createHttpTransport();
    const send = async (server: AnyServer) =>
      transport({
        url: new URL(await listen(server)),
        headers: {},
        body: '{}',
        signal: AbortSignal.timeout(2000),
      });

    // Act
    const answers = [await send(broken), await send(empty)];

    // Assess
    expect(answers).toEqual([
      { status: 600, body: 'no' },
      { status: 204, body: '' },
    ]);
  });
});

describe('Function: createHasuraClient (over HTTP)', () => {
  it.each([
    ['a 502 page from a gateway', 502, '<html>Bad Gateway</html>', 'transient', 'http-502'],
    ['a 200 that is not JSON', 200, 'OK', 'other', 'invalid-response'],
    ['a 200 with neither data nor errors', 200, '{"extensions":{}}', 'other', 'invalid-response'],
    ['a 600 from a broken proxy', 600, 'no', 'other', 'http-600'],
    [
      'a 200 with a Hasura error',
      200,
      '{"errors":[{"message":"Uniqueness violation","extensions":{"path":"$.selectionSet.insert_users.args.objects","code":"constraint-violation"}}]}',
      'data',
      'constraint-violation',
    ],
  ])('classifies %s', async (_name, status, body, failureClass, code) => {
    // Prepare
    const server =
      status === 600
        ? rawAnswering('HTTP/1.1 600 Broken Proxy\r\ncontent-length: 2\r\n\r\nno', true)
        : answering(status, body, status === 200 ? 'application/json' : 'text/html');
    servers.push(server);
    const hasura = clientFor(await listen(server));

    // Act
    const failure = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'HasuraRequestError', failureClass, code });
  });

  it('fails as a transient network error when the connection drops in the middle of the answer', async () => {
    // Prepare
    const server = createTcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"data":');
        setTimeout(() => socket.destroy(), 20);
      });
    });
    servers.push(server);
    const hasura = clientFor(await listen(server));

    // Act
    const failure = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'network-error' });
  });

  it('fails as a transient timeout within its budget when Hasura accepts and never answers', async () => {
    // Prepare
    const server = createTcpServer(() => undefined);
    servers.push(server);
    const hasura = clientFor(await listen(server), undefined, 150);

    // Act
    const startedAt = Date.now();
    const failure = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'timeout' });
    expect(elapsedMs).toBeGreaterThanOrEqual(140);
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('works over the global fetch through fetchTransport, failures included', async () => {
    // Prepare
    const server = answering(200, '{"data":{"insert_users":{"affected_rows":0}}}');
    servers.push(server);
    const hasura = clientFor(await listen(server), fetchTransport(fetch));
    const refused = clientFor('http://127.0.0.1:1/v1/graphql', fetchTransport(fetch));

    // Act
    const data = await hasura.request(DOCUMENT, {});
    const failure = await refused.request(DOCUMENT, {}).catch((error: unknown) => error);

    // Assess
    expect(data).toEqual({ insert_users: { affected_rows: 0 } });
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'network-error' });
  });
});
