import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { runtimeContext } from '../../helpers/lambdaContexts.js';
import { loadTokenEvent, v2Claims, withGroups } from './tokenEvents.js';

const context = runtimeContext({
  functionName: 'pre-token-generation',
});

const variables = {
  HASURA_ADMIN_GROUPS: 'Administrators',
  HASURA_UNMAPPED_GROUPS_AS_ROLES: 'true',
  HASURA_CLAIMS_NAMESPACE: 'https://example.com/hasura',
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

describe('Function: handler', () => {
  const saved = { ...process.env };
  const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

  beforeAll(() => {
    Object.assign(process.env, variables);
  });

  afterAll(() => {
    process.env = saved;
    printed.mockRestore();
    errors.mockRestore();
  });

  it('adds claims configured from the environment', async () => {
    // Prepare
    const { handler } = await import('../../../services/pre-token-generation/handler.js');
    const event = loadTokenEvent('preTokenGenerationV2RefreshTokens');

    // Act
    const result = await handler(event, context);

    // Assess
    expect(v2Claims(result, 'accessTokenGeneration', variables.HASURA_CLAIMS_NAMESPACE)).toEqual({
      'x-hasura-user-id': 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user', 'admin'],
    });
  });

  it('leaves admin out of the claims of a member of the group "admin" and counts it', async () => {
    // Prepare
    const { handler } = await import('../../../services/pre-token-generation/handler.js');
    const event = withGroups(loadTokenEvent('preTokenGenerationV2'), ['admin', 'editors']);
    printed.mockClear();

    // Act
    const result = await handler(event, context);

    // Assess
    expect(v2Claims(result, 'idTokenGeneration', variables.HASURA_CLAIMS_NAMESPACE)).toEqual({
      'x-hasura-user-id': '0c9e8d7f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user', 'editors'],
    });
    const emf = printed.mock.calls.map((call) => String(call[0])).join('\n');
    expect(emf).toContain('"AdminRoleRefused"');
  });

  it('publishes a ClaimsSkipped metric when sub is missing', async () => {
    // Prepare
    const { handler } = await import('../../../services/pre-token-generation/handler.js');
    const event = loadTokenEvent('preTokenGenerationV2MissingSub');
    printed.mockClear();

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual(loadTokenEvent('preTokenGenerationV2MissingSub'));
    const emf = printed.mock.calls.map((call) => String(call[0])).join('\n');
    expect(emf).toContain('"ClaimsSkipped"');
    expect(errors).toHaveBeenCalled();
  });

  it('logs with the Lambda context of each invocation and forgets it after the invocation', async () => {
    // Prepare
    const { handler } = await import('../../../services/pre-token-generation/handler.js');
    const first = runtimeContext({ functionName: 'pre-token-generation', awsRequestId: 'req-1' });
    const second = runtimeContext({ functionName: 'pre-token-generation', awsRequestId: 'req-2' });
    const event = loadTokenEvent('preTokenGenerationV2MissingSub');
    errors.mockClear();

    // Act
    await handler(event, first);
    await handler(event, second);

    // Assess
    const lines = errors.mock.calls.map(
      (call) => JSON.parse(String(call[0])) as Record<string, unknown>,
    );
    expect(lines.map((line) => line.function_request_id)).toEqual(['req-1', 'req-2']);
    expect(lines[0]).toMatchObject({
      function_name: 'pre-token-generation',
      message: 'token issued without Hasura claims: Hasura will reject it',
    });
    expect(JSON.stringify(lines)).not.toContain('userAttributes');
  });
});

describe('Function: handler at cold start', () => {
  const saved = { ...process.env };

  afterAll(() => {
    process.env = saved;
  });

  it('gives a member of the group "admin" no admin role with the default settings', async () => {
    // Prepare
    process.env = { ...saved, POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };
    let handler: ((event: unknown, context: Context) => Promise<unknown>) | undefined;
    await jest.isolateModulesAsync(async () => {
      ({ handler } = await import('../../../services/pre-token-generation/handler.js'));
    });
    const event = withGroups(loadTokenEvent('preTokenGenerationV2'), ['admin', 'editors']);

    // Act
    const result = await handler?.(event, context);

    // Assess
    expect(v2Claims(result, 'accessTokenGeneration', 'https://hasura.io/jwt/claims')).toEqual({
      'x-hasura-user-id': '0c9e8d7f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user'],
    });
  });

  it('fails the cold start, naming the variable, when the default role is admin', async () => {
    // Prepare
    process.env = { ...saved, POWERTOOLS_DEV: 'true', HASURA_DEFAULT_ROLE: 'admin' };

    // Act
    const coldStart = jest.isolateModulesAsync(async () => {
      await import('../../../services/pre-token-generation/handler.js');
    });

    // Assess
    await expect(coldStart).rejects.toThrow(/^HASURA_DEFAULT_ROLE .*HASURA_ADMIN_GROUPS/);
  });
});
