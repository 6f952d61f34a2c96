import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { loginRecords, sqsEvent, userDetail } from '../../fixtures/sqs/sqsFactories.js';
import { type FakeHasura, insertedAll, startFakeHasura } from '../../helpers/fakeHasuraServer.js';
import { runtimeContext } from '../../helpers/lambdaContexts.js';
import { ADMIN_SECRET } from '../../helpers/userSyncHarness.js';

const context = runtimeContext({
  functionName: 'user-sync',
  awsRequestId: '5d2f2a1e-0b7c-4c1e-9f7a-2f1b3c4d5e6f',
  remainingMs: 30_000,
  memoryLimitInMB: '512',
});

describe('Function: handler', () => {
  const saved = { ...process.env };
  const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const informed = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  let fake: FakeHasura;

  beforeAll(async () => {
    fake = await startFakeHasura(insertedAll);
    Object.assign(process.env, {
      HASURA_GRAPHQL_ENDPOINT: fake.url,
      HASURA_ADMIN_SECRET: ADMIN_SECRET,
      USER_POOL_IDS: userDetail().userPoolId,
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      // An operator turning on event logging must not put attribute values in the logs.
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    });
  });

  afterAll(async () => {
    process.env = saved;
    printed.mockRestore();
    informed.mockRestore();
    warned.mockRestore();
    errors.mockRestore();
    await fake.stop();
  });

  it('syncs a batch through middy and flushes the metrics without printing the secret', async () => {
    // Prepare
    const { handler } = await import('../../../services/user-sync/handler.js');

    // Act
    const result = await handler(sqsEvent(loginRecords(3)), context);

    // Assess
    const output = JSON.stringify([printed, informed, warned, errors].map((spy) => spy.mock.calls));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(fake.requests).toHaveLength(1);
    expect(output).toContain('UsersSynced');
    expect(output).toContain('HasuraRequests');
    expect(output).not.toContain(ADMIN_SECRET);
    expect(output).not.toContain('@example.com');
  });
});
