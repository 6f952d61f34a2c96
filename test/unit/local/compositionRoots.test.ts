/**
 * The Lambda handlers, the local stack and `simulate` build the services with the same
 * composition functions: each one is wrapped in a spy before any of them is imported, and every
 * caller's handler must be what that spy returned.
 */
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

const postAuthenticationRoot = await import('../../../services/post-authentication/compose.js');
const userSyncRoot = await import('../../../services/user-sync/compose.js');
const composePostAuthentication = jest.fn(postAuthenticationRoot.composePostAuthentication);
const composeUserSync = jest.fn(userSyncRoot.composeUserSync);
jest.unstable_mockModule('../../../services/post-authentication/compose.js', () => ({
  ...postAuthenticationRoot,
  composePostAuthentication,
}));
jest.unstable_mockModule('../../../services/user-sync/compose.js', () => ({
  ...userSyncRoot,
  composeUserSync,
}));

const { buildPostAuthentication, buildUserSync } = await import('../../../local/localHandlers.js');
const { simulate } = await import('../../../cli/simulate.js');
const { MetricTotals } = await import('../../../shared/recordingMetrics.js');

/** The variables the Lambda functions get from the stack (a bad one fails the import). */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
  HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
  HASURA_ADMIN_SECRET: 'composition-test-secret',
  USER_POOL_IDS: 'eu-west-1_AbCdEf123',
};

const LOCAL_TARGET = {
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  eventBusName: 'local-bus',
  syncQueueUrl: 'http://127.0.0.1:1/000000000000/local-sync',
};

/** What the spy's `call`-th call returned. */
const returned = <T>(
  spy: { mock: { results: { type: string; value: unknown }[] } },
  call: number,
) => spy.mock.results[call]?.value as T;

describe('Function: composePostAuthentication and composeUserSync (the composition roots)', () => {
  const saved = { ...process.env };
  const context = { env: {}, logLevel: 'SILENT', totals: new MetricTotals() } as const;

  beforeEach(() => {
    composePostAuthentication.mockClear();
    composeUserSync.mockClear();
  });

  afterAll(() => {
    process.env = saved;
  });

  it('builds the Lambda trigger and the local stack trigger of post-authentication', async () => {
    // Prepare
    Object.assign(process.env, LAMBDA_ENV);

    // Act
    await import('../../../services/post-authentication/handler.js');
    const local = buildPostAuthentication(context, LOCAL_TARGET);

    // Assess
    expect(composePostAuthentication).toHaveBeenCalledTimes(2);
    const [lambdaOptions] = composePostAuthentication.mock.calls[0] ?? [];
    const [localOptions] = composePostAuthentication.mock.calls[1] ?? [];
    expect(lambdaOptions?.env).toBe(process.env);
    expect(lambdaOptions?.endpoint).toBeUndefined();
    expect(localOptions).toMatchObject({
      endpoint: LOCAL_TARGET.endpoint,
      env: { EVENT_BUS_NAME: 'local-bus', SYNC_QUEUE_URL: LOCAL_TARGET.syncQueueUrl },
    });
    expect(local).toBe(returned(composePostAuthentication, 1));
    local.destroy();
  });

  it('builds the Lambda consumer and the local stack consumer of user-sync', async () => {
    // Prepare
    Object.assign(process.env, LAMBDA_ENV);

    // Act
    await import('../../../services/user-sync/handler.js');
    const local = buildUserSync(
      context,
      { graphqlUrl: 'http://127.0.0.1:1/v1/graphql', adminSecret: 'local-secret' },
      ['us-east-1_LocalPool1'],
    );

    // Assess
    expect(composeUserSync).toHaveBeenCalledTimes(2);
    const [lambdaOptions] = composeUserSync.mock.calls[0] ?? [];
    const [localOptions] = composeUserSync.mock.calls[1] ?? [];
    expect(lambdaOptions?.env).toBe(process.env);
    expect(localOptions?.env).toMatchObject({
      HASURA_GRAPHQL_ENDPOINT: 'http://127.0.0.1:1/v1/graphql',
      USER_POOL_IDS: 'us-east-1_LocalPool1',
    });
    expect(local).toBe(returned(composeUserSync, 1));
  });

  it('builds the trigger that simulate drives', async () => {
    // Prepare
    const options = {
      logins: 0,
      users: 1,
      eventBusName: 'local-bus',
      syncQueueUrl: LOCAL_TARGET.syncQueueUrl,
      region: 'us-east-1',
      endpoint: LOCAL_TARGET.endpoint,
      env: {},
    };

    // Act
    const result = await simulate(options);

    // Assess
    expect(result.logins).toBe(0);
    expect(composePostAuthentication).toHaveBeenCalledTimes(1);
    expect(composePostAuthentication.mock.calls[0]?.[0]).toMatchObject({
      endpoint: LOCAL_TARGET.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      env: { EVENT_BUS_NAME: 'local-bus', AWS_REGION: 'us-east-1' },
    });
  });
});
