import { describe, expect, it } from '@jest/globals';
import {
  defaultPreTokenGenerationConfig,
  loadPreTokenGenerationConfig,
} from '../../../services/pre-token-generation/index.js';
import { isConfigurationError } from '../../../shared/errors.js';

const thrownBy = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('Function: loadPreTokenGenerationConfig', () => {
  it('returns the defaults when nothing is set', () => {
    // Prepare
    const env = {};

    // Act
    const config = loadPreTokenGenerationConfig(env);

    // Assess
    expect(config).toEqual(defaultPreTokenGenerationConfig);
    expect(config).toMatchObject({
      claimsNamespace: 'https://hasura.io/jwt/claims',
      defaultRole: 'user',
      groupRoleMap: {},
      unmappedGroupsAsRoles: false,
      adminGroups: [],
      trustedRoleAttributes: [],
      claimsFormatV1: 'stringified_json',
      claimsFormatV2: 'json',
      tokensV2: ['id', 'access'],
    });
  });

  it('reads every variable', () => {
    // Prepare
    const env = {
      HASURA_CLAIMS_NAMESPACE: 'https://example.com/claims',
      HASURA_DEFAULT_ROLE: 'member',
      HASURA_GROUP_ROLE_MAP: '{"Editors":"editor"}',
      HASURA_UNMAPPED_GROUPS_AS_ROLES: 'true',
      HASURA_ADMIN_GROUPS: 'Administrators, ops-admins',
      HASURA_TRUSTED_ROLE_ATTRIBUTES: 'dev:custom:roles, custom:staff_roles',
      HASURA_CLAIMS_FORMAT_V1: 'stringified_json',
      HASURA_CLAIMS_FORMAT_V2: 'stringified_json',
      HASURA_CLAIMS_TOKENS_V2: 'access',
    };

    // Act
    const config = loadPreTokenGenerationConfig(env);

    // Assess
    expect(config).toEqual({
      claimsNamespace: 'https://example.com/claims',
      defaultRole: 'member',
      groupRoleMap: { Editors: 'editor' },
      unmappedGroupsAsRoles: true,
      adminGroups: ['Administrators', 'ops-admins'],
      trustedRoleAttributes: ['dev:custom:roles', 'custom:staff_roles'],
      claimsFormatV1: 'stringified_json',
      claimsFormatV2: 'stringified_json',
      tokensV2: ['access'],
    });
  });

  it.each([
    ['HASURA_CLAIMS_FORMAT_V1', 'json'],
    ['HASURA_CLAIMS_FORMAT_V2', 'jsonpath'],
    ['HASURA_GROUP_ROLE_MAP', '["admin"]'],
    ['HASURA_GROUP_ROLE_MAP', '{"Administrators":" "}'],
    ['HASURA_GROUP_ROLE_MAP', '{not json'],
    ['HASURA_UNMAPPED_GROUPS_AS_ROLES', 'maybe'],
    ['HASURA_CLAIMS_TOKENS_V2', 'id,refresh'],
    ['HASURA_CLAIMS_TOKENS_V2', ','],
  ])('throws a ConfigurationError naming %s when it is "%s"', (variable, value) => {
    // Prepare
    const env = { [variable]: value };

    // Act
    const error = thrownBy(() => loadPreTokenGenerationConfig(env));

    // Assess
    expect(isConfigurationError(error)).toBe(true);
    expect(error).toMatchObject({ variable, message: expect.stringContaining(variable) });
  });
});

describe('Function: loadPreTokenGenerationConfig with the superuser role', () => {
  it.each([
    ['HASURA_DEFAULT_ROLE', 'admin'],
    ['HASURA_DEFAULT_ROLE', 'Admin'],
    ['HASURA_GROUP_ROLE_MAP', '{"Administrators":"admin"}'],
    ['HASURA_GROUP_ROLE_MAP', '{"editors":"editor","ops":" ADMIN "}'],
  ])(
    'refuses %s "%s" and names HASURA_ADMIN_GROUPS as the way to grant admin',
    (variable, value) => {
      // Prepare
      const env = { [variable]: value, HASURA_ADMIN_GROUPS: 'Administrators' };

      // Act
      const error = thrownBy(() => loadPreTokenGenerationConfig(env));

      // Assess
      expect(isConfigurationError(error)).toBe(true);
      expect(error).toMatchObject({
        variable,
        message: expect.stringMatching(new RegExp(`^${variable} .*superuser.*HASURA_ADMIN_GROUPS`)),
      });
    },
  );

  it('accepts roles that only contain the word admin', () => {
    // Prepare
    const env = {
      HASURA_DEFAULT_ROLE: 'admins',
      HASURA_GROUP_ROLE_MAP: '{"Administrators":"administrator","ops":"admin-readonly"}',
    };

    // Act
    const config = loadPreTokenGenerationConfig(env);

    // Assess
    expect(config).toMatchObject({
      defaultRole: 'admins',
      groupRoleMap: { Administrators: 'administrator', ops: 'admin-readonly' },
    });
  });
});
