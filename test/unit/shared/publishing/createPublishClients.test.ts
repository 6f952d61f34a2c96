/**
 * The real SDK clients against local HTTP servers: the endpoint comes from `AWS_ENDPOINT_URL`,
 * a throttled PutEvents is retried by the SDK, and a request that never gets an answer ends in
 * a TimeoutError after exactly two attempts.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { composePostAuthentication } from '../../../../services/post-authentication/compose.js';
import { MetricName } from '../../../../shared/metricNames.js';
import { createPublishClients } from '../../../../shared/publishing/createPublishClients.js';
import {
  PUBLISH_MAX_ATTEMPTS,
  publishTimeouts,
} from '../../../../shared/publishing/publishBudget.js';
import {
  postAuthenticationEvent,
  silentLogger,
  testMetrics,
  triggerContext,
} from '../../../helpers/postAuthenticationFixtures.js';

type Reply = (request: IncomingMessage, response: ServerResponse) => void;

/** A fake AWS JSON endpoint: each request gets the next reply; the last one repeats. */
const startFakeAws = async (replies: Reply[]) => {
  const targets: string[] = [];
  const server: Server = createServer((request, response) => {
    targets.push(String(request.headers['x-amz-target']));
    request.resume();
    request.on('end', () => {
      const reply = replies[Math.min(targets.length - 1, replies.length - 1)];
      reply?.(request, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    targets,
    stop: async (): Promise<void> => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

const json =
  (status: number, body: unknown): Reply =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  };
const ACCEPTED = json(200, { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
const THROTTLED = json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
const SILENT: Reply = () => undefined;

const putEvents = (): PutEventsCommand =>
  new PutEventsCommand({
    Entries: [{ EventBusName: 'b', Source: 's', DetailType: 'UserAuthenticated', Detail: '{}' }],
  });

describe('Function: createPublishClients', () => {
  const savedEnv = { ...process.env };
  let fake: Awaited<ReturnType<typeof startFakeAws>> | undefined;

  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
    delete process.env.AWS_ENDPOINT_URL;
  });

  afterAll(() => {
    process.env = savedEnv;
  });

  it('derives per-attempt timeouts from the budget', () => {
    // Prepare
    const budgets = [1000, 300, 10];

    // Act
    const timeouts = budgets.map(publishTimeouts);

    // Assess
    expect(timeouts).toStrictEqual([
      { connectionTimeoutMs: 200, requestTimeoutMs: 250 },
      { connectionTimeoutMs: 60, requestTimeoutMs: 75 },
      { connectionTimeoutMs: 20, requestTimeoutMs: 30 },
    ]);
  });

  it('sends each client to its own endpoint when given one per service', async () => {
    // Prepare
    const clients = createPublishClients({
      region: 'eu-west-1',
      budgetMs: 1000,
      endpoint: { eventBridge: 'http://127.0.0.1:4101', sqs: 'http://127.0.0.1:4102' },
    });

    // Act
    const endpoints = await Promise.all([
      clients.eventBridge.config.endpoint?.(),
      clients.sqs.config.endpoint?.(),
    ]);

    // Assess
    expect(endpoints.map((endpoint) => endpoint?.port)).toStrictEqual([4101, 4102]);
    clients.eventBridge.destroy();
    clients.sqs.destroy();
  });

  it('configures both clients with the region and at most two attempts', async () => {
    // Prepare
    const clients = createPublishClients({ region: 'eu-west-1', budgetMs: 1000 });

    // Act
    const settings = await Promise.all([
      clients.eventBridge.config.maxAttempts(),
      clients.sqs.config.maxAttempts(),
      clients.eventBridge.config.region(),
      clients.sqs.config.region(),
    ]);

    // Assess
    expect(settings).toStrictEqual([PUBLISH_MAX_ATTEMPTS, 2, 'eu-west-1', 'eu-west-1']);
  });

  it('sends requests to AWS_ENDPOINT_URL without any endpoint in the code', async () => {
    // Prepare
    fake = await startFakeAws([ACCEPTED]);
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    const clients = createPublishClients({ region: 'eu-west-1', budgetMs: 1000 });

    // Act
    const output = await clients.eventBridge.send(putEvents());

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect(fake.targets).toStrictEqual(['AWSEvents.PutEvents']);
  });

  it('ends a request that gets no answer with a TimeoutError after two attempts', async () => {
    // Prepare
    fake = await startFakeAws([SILENT]);
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    const clients = createPublishClients({ region: 'eu-west-1', budgetMs: 400 });

    // Act
    const startedAt = performance.now();
    const error = await clients.eventBridge.send(putEvents()).catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - startedAt;

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(fake.targets).toHaveLength(2);
    // Two 100 ms request timeouts plus at most one 100 ms backoff, with slack for a busy machine.
    expect(elapsedMs).toBeGreaterThanOrEqual(200);
    expect(elapsedMs).toBeLessThan(600);
  });

  it('publishes through the SDK retry when the first PutEvents is throttled', async () => {
    // Prepare
    fake = await startFakeAws([THROTTLED, ACCEPTED]);
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    const metrics = testMetrics();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    // Throttling backoff is up to 500 ms: give EventBridge's 60 % share room for it.
    const { handler } = composePostAuthentication({
      env: {
        EVENT_BUS_NAME: 'test-bus',
        SYNC_QUEUE_URL: `${fake.endpoint}/000000000000/q`,
        AWS_REGION: 'eu-west-1',
        PUBLISH_BUDGET_MS: '2500',
      },
      logger: silentLogger(),
      metrics,
    });

    // Act
    await handler(postAuthenticationEvent(), triggerContext());

    // Assess
    expect(fake.targets).toStrictEqual(['AWSEvents.PutEvents', 'AWSEvents.PutEvents']);
    expect(addMetric.mock.calls.map((call) => call[0])).toStrictEqual([MetricName.Published]);
  });
});
