import { afterAll, describe, expect, it } from '@jest/globals';

describe('Function: handler (cold start)', () => {
  const saved = { ...process.env };

  afterAll(() => {
    process.env = saved;
  });

  it('refuses to start without USER_POOL_IDS, naming the variable', async () => {
    // Prepare
    Object.assign(process.env, {
      HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
      HASURA_ADMIN_SECRET: 'cold-start-secret',
    });
    delete process.env.USER_POOL_IDS;

    // Act
    const cold = import('../../../services/user-sync/handler.js');

    // Assess
    await expect(cold).rejects.toThrow(/USER_POOL_IDS is not set/);
  });
});
