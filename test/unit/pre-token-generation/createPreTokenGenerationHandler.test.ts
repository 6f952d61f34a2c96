import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  createPreTokenGenerationHandler,
  DEFAULT_CLAIMS_NAMESPACE,
  defaultPreTokenGenerationConfig,
  type PreTokenGenerationConfig,
  type PreTokenGenerationDeps,
} from '../../../services/pre-token-generation/index.js';
import { loadTokenEvent, v1Claims, v2Claims, withGroups } from './tokenEvents.js';

describe('Function: createPreTokenGenerationHandler', () => {
  const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const metrics = { addMetric: jest.fn<PreTokenGenerationDeps['metrics']['addMetric']>() };
  const handler = createPreTokenGenerationHandler({
    config: defaultPreTokenGenerationConfig,
    logger,
    metrics,
  });

  beforeEach(() => {
    jest.clearAllMocks();
  });

  it('returns the event with claims and records no metric', async () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1');

    // Act
    const result = await handler(event);

    // Assess
    expect(v1Claims(result, DEFAULT_CLAIMS_NAMESPACE)).toMatchObject({
      'x-hasura-user-id': '6b1f0b3e-7c55-4a8e-9e0a-1d2c3b4a5f60',
    });
    expect(metrics.addMetric).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('never puts admin into the tokens of a member of the group "admin" by default', async () => {
    // Prepare
    const event = withGroups(loadTokenEvent('preTokenGenerationV2'), ['admin']);

    // Act
    const result = await handler(event);

    // Assess
    expect(v2Claims(result, 'accessTokenGeneration', DEFAULT_CLAIMS_NAMESPACE)).toMatchObject({
      'x-hasura-allowed-roles': ['user'],
    });
    expect(v2Claims(result, 'idTokenGeneration', DEFAULT_CLAIMS_NAMESPACE)).toMatchObject({
      'x-hasura-allowed-roles': ['user'],
    });
  });

  it('warns and counts AdminRoleRefused when a group reads as admin', async () => {
    // Prepare
    const config: PreTokenGenerationConfig = {
      ...defaultPreTokenGenerationConfig,
      unmappedGroupsAsRoles: true,
      adminGroups: ['Administrators'],
    };
    const permissive = createPreTokenGenerationHandler({ config, logger, metrics });
    const event = withGroups(loadTokenEvent('preTokenGenerationV2'), ['admin', 'ADMIN', 'editors']);

    // Act
    const result = await permissive(event);

    // Assess
    expect(v2Claims(result, 'accessTokenGeneration', DEFAULT_CLAIMS_NAMESPACE)).toMatchObject({
      'x-hasura-allowed-roles': ['user', 'editors'],
    });
    expect(metrics.addMetric).toHaveBeenCalledWith('AdminRoleRefused', 'Count', 2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('superuser role refused'),
      expect.objectContaining({
        refused: [
          { source: 'group', from: 'admin', role: 'admin' },
          { source: 'group', from: 'ADMIN', role: 'ADMIN' },
        ],
        userPoolId: 'eu-west-1_Ab12Cd34E',
      }),
    );
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('grants admin to a member of an admin group without a warning', async () => {
    // Prepare
    const config: PreTokenGenerationConfig = {
      ...defaultPreTokenGenerationConfig,
      adminGroups: ['Administrators'],
    };
    const withAdmins = createPreTokenGenerationHandler({ config, logger, metrics });
    const event = loadTokenEvent('preTokenGenerationV2RefreshTokens');

    // Act
    const result = await withAdmins(event);

    // Assess
    expect(v2Claims(result, 'accessTokenGeneration', DEFAULT_CLAIMS_NAMESPACE)).toMatchObject({
      'x-hasura-allowed-roles': ['user', 'admin'],
    });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(metrics.addMetric).not.toHaveBeenCalled();
  });

  it('logs an error and counts ClaimsSkipped when the default role of a config is admin', async () => {
    // Prepare
    const config: PreTokenGenerationConfig = {
      ...defaultPreTokenGenerationConfig,
      defaultRole: 'admin',
    };
    const unchecked = createPreTokenGenerationHandler({ config, logger, metrics });
    const event = loadTokenEvent('preTokenGenerationV1');

    // Act
    const result = await unchecked(event);

    // Assess
    expect(result).toBe(event);
    expect(metrics.addMetric).toHaveBeenCalledWith('ClaimsSkipped', 'Count', 1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('without Hasura claims'),
      expect.objectContaining({ reason: 'admin-default-role' }),
    );
  });

  it('logs an error and counts ClaimsSkipped when sub is missing', async () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2MissingSub');

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toBe(event);
    expect(metrics.addMetric).toHaveBeenCalledWith('ClaimsSkipped', 'Count', 1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('without Hasura claims'),
      expect.objectContaining({
        reason: 'missing-sub',
        triggerSource: 'TokenGeneration_Authentication',
        version: '2',
      }),
    );
  });

  it('never logs attribute values', async () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2MissingSub');

    // Act
    await handler(event);

    // Assess
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain('nosub@example.com');
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an empty object', {}],
  ])('resolves with %s unchanged instead of throwing', async (_label, event) => {
    // Prepare
    const before = structuredClone(event);

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toEqual(before);
    expect(metrics.addMetric).toHaveBeenCalledWith('ClaimsSkipped', 'Count', 1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ reason: 'malformed-event' }),
    );
  });

  it('does not count a machine-to-machine token as skipped', async () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV3ClientCredentials');

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toBe(event);
    expect(metrics.addMetric).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('returns the event unchanged when building the claims fails unexpectedly', async () => {
    // Prepare
    const broken: PreTokenGenerationConfig = {
      ...defaultPreTokenGenerationConfig,
      get claimsNamespace(): string {
        throw new Error('boom');
      },
    };
    const brokenHandler = createPreTokenGenerationHandler({ config: broken, logger, metrics });
    const event = loadTokenEvent('preTokenGenerationV1');

    // Act
    const result = await brokenHandler(event);

    // Assess
    expect(result).toBe(event);
    expect(metrics.addMetric).toHaveBeenCalledWith('ClaimsSkipped', 'Count', 1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('unexpected'),
      expect.objectContaining({ error: 'Error: boom' }),
    );
  });
});
