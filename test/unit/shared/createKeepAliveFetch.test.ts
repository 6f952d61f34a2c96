import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { classifyHasuraError } from '../../../shared/hasura/classifyHasuraError.js';
import { createKeepAliveFetch } from '../../../shared/hasura/createKeepAliveFetch.js';

type AnyServer = Server | TcpServer;

const listen = async (server: AnyServer): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}/v1/graphql`;
};

describe('Function: createKeepAliveFetch', () => {
  const servers: AnyServer[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close();
    }
  });

  it('returns the status, headers and body of the answer and reuses the connection', async () => {
    // Prepare
    const ports: number[] = [];
    const server = createHttpServer((request, response) => {
      ports.push(request.socket.remotePort ?? 0);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"data":{"ok":true}}');
      });
    });
    servers.push(server);
    const url = await listen(server);
    const fetch = createKeepAliveFetch();

    // Act
    const first = await fetch(url, { method: 'POST', body: '{}' });
    const text = await first.text();
    const second = await fetch(url, { method: 'POST', body: '{}' });

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(text).toBe('{"data":{"ok":true}}');
    expect(second.status).toBe(200);
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  it('resolves an answer with a null-body status instead of crashing the process', async () => {
    // Prepare
    const server = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(204);
        response.end();
      });
    });
    servers.push(server);
    const url = await listen(server);

    // Act
    const response = await createKeepAliveFetch()(url, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('rejects an answer whose status a Response cannot hold', async () => {
    // Prepare
    const server = createTcpServer((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 600 Broken Proxy\r\ncontent-length: 2\r\n\r\nno');
      });
    });
    servers.push(server);
    const url = await listen(server);

    // Act
    const failure = await createKeepAliveFetch()(url, { method: 'POST', body: '{}' }).catch(
      (error: unknown) => error,
    );

    // Assess
    // By name: the error comes from Node's realm, not jest's.
    expect(failure).toMatchObject({ name: 'RangeError' });
  });

  it('rejects with an abort error, classified as a transient timeout, when the signal fires', async () => {
    // Prepare
    const server = createHttpServer((request) => {
      request.resume();
    });
    servers.push(server);
    const url = await listen(server);

    // Act
    const failure = await createKeepAliveFetch()(url, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(50),
    }).catch((error: unknown) => error);

    // Assess
    expect(classifyHasuraError(failure)).toMatchObject({
      failureClass: 'transient',
      code: 'timeout',
    });
  });
});
