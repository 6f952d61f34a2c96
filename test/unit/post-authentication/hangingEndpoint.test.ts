/**
 * The trigger's time bound against real sockets: a TCP server accepts every connection, reads
 * the requests and never answers. `AWS_ENDPOINT_URL` points the real SDK clients at it, and the
 * real `handler.ts` (middy, Powertools, clients built at module scope) must still return the
 * Cognito event unchanged within the budget, after trying the fallback.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { captureProcessOutput } from '../../helpers/captureProcessOutput.js';
import {
  postAuthenticationEvent,
  SECRET_VALUES,
  triggerContext,
} from '../../helpers/postAuthenticationFixtures.js';

const BUDGET_MS = 300;
/** Timer slack allowed above the budget on a shared, busy machine. */
const MARGIN_MS = 150;

/** A server that accepts connections and never answers; it remembers what it was sent. */
const startSilentServer = async (): Promise<{
  server: Server;
  port: number;
  connections: () => number;
  received: () => string;
}> => {
  const sockets = new Set<Socket>();
  let connections = 0;
  let received = '';
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  return {
    server,
    port: address.port,
    connections: () => connections,
    received: () => received,
  };
};

type Handler = (event: PostAuthenticationTriggerEvent, context: Context) => Promise<unknown>;

describe('Function: handler (endpoints that accept connections and never answer)', () => {
  const savedEnv = { ...process.env };
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let handler: Handler;
  const output: string[] = [];

  beforeAll(async () => {
    silent = await startSilentServer();
    const endpoint = `http://127.0.0.1:${silent.port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      EVENT_BUS_NAME: 'cognito-hasura-sync',
      SYNC_QUEUE_URL: `${endpoint}/000000000000/cognito-hasura-sync-user-sync`,
      PUBLISH_BUDGET_MS: String(BUDGET_MS),
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    // Logs and EMF metrics go to stdout and stderr: keep them, to check that nothing leaks.
    captureProcessOutput(output);
    ({ handler } = await import('../../../services/post-authentication/handler.js'));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    silent.server.close();
    await once(silent.server, 'close');
  });

  it('returns the unchanged event within the budget after trying EventBridge and the fallback', async () => {
    // Prepare
    const event = postAuthenticationEvent();

    // Act
    const startedAt = performance.now();
    const result = await handler(event, triggerContext('hanging-endpoints-1'));
    const elapsedMs = performance.now() - startedAt;

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(postAuthenticationEvent());
    expect(elapsedMs).toBeLessThan(BUDGET_MS + MARGIN_MS);
    expect(silent.received()).toContain('AWSEvents.PutEvents');
    expect(silent.received()).toContain('AmazonSQS.SendMessage');
    expect(silent.connections()).toBeGreaterThanOrEqual(2);
    const emitted = output.join('');
    expect(emitted).toContain('"PublishFailed"');
    expect(emitted).toContain('hanging-endpoints-1');
    for (const secret of SECRET_VALUES) expect(emitted).not.toContain(secret);
  });

  it('stays within the budget on every warm invocation too', async () => {
    // Prepare
    const connectionsBefore = silent.connections();
    const elapsed: number[] = [];

    // Act
    for (const requestId of ['warm-1', 'warm-2', 'warm-3']) {
      const startedAt = performance.now();
      await handler(postAuthenticationEvent(), triggerContext(requestId));
      elapsed.push(performance.now() - startedAt);
    }

    // Assess
    expect(Math.max(...elapsed)).toBeLessThan(BUDGET_MS + MARGIN_MS);
    // Each invocation opens at least one connection to the bus and one to the queue.
    expect(silent.connections() - connectionsBefore).toBeGreaterThanOrEqual(6);
  });
});
