import { describe, expect, it } from '@jest/globals';
import { loadUserLifecycleConfig } from '../../../services/user-lifecycle/config.js';

const VALID = {
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  USER_POOL_IDS: 'eu-west-1_Ab12Cd34E, eu-west-1_Other9Pool',
  AWS_REGION: 'eu-west-1',
};

describe('Function: loadUserLifecycleConfig', () => {
  it('reads the bus, the pools it acts on, the source and the allow-list', () => {
    // Act
    const config = loadUserLifecycleConfig({ ...VALID, PUBLISHED_ATTRIBUTES: 'email,name' });

    // Assess
    expect(config).toStrictEqual({
      eventBusName: 'cognito-hasura-sync',
      eventSource: 'cognito-hasura-sync',
      userPoolIds: new Set(['eu-west-1_Ab12Cd34E', 'eu-west-1_Other9Pool']),
      publishedAttributes: ['email', 'name'],
      region: 'eu-west-1',
    });
  });

  it.each([
    ['EVENT_BUS_NAME', { ...VALID, EVENT_BUS_NAME: ' ' }],
    ['USER_POOL_IDS', { ...VALID, USER_POOL_IDS: undefined }],
    ['USER_POOL_IDS', { ...VALID, USER_POOL_IDS: 'eu-west-1_Ab12Cd34E,not a pool' }],
    ['USER_POOL_IDS', { ...VALID, USER_POOL_IDS: ',,' }],
    ['PUBLISHED_ATTRIBUTES', { ...VALID, PUBLISHED_ATTRIBUTES: 'email,bad name' }],
    ['AWS_REGION', { ...VALID, AWS_REGION: undefined }],
  ])('throws naming %s when it is missing or invalid', (variable, env) => {
    // Act & Assess
    expect(() => loadUserLifecycleConfig(env)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', variable }),
    );
  });
});
