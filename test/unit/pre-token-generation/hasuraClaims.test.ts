import { describe, expect, it } from '@jest/globals';
import {
  buildHasuraClaims,
  defaultPreTokenGenerationConfig,
  formatHasuraClaims,
  type PreTokenGenerationConfig,
  resolveAllowedRoles,
} from '../../../services/pre-token-generation/index.js';

const config = (overrides: Partial<PreTokenGenerationConfig> = {}): PreTokenGenerationConfig => ({
  ...defaultPreTokenGenerationConfig,
  ...overrides,
});

describe('Function: resolveAllowedRoles', () => {
  it('returns only the default role for a user without groups', () => {
    // Prepare
    const subject = { sub: 's', groups: [], userAttributes: {} };

    // Act
    const roles = resolveAllowedRoles(subject, config());

    // Assess
    expect(roles).toEqual(['user']);
  });

  it('renames mapped groups and keeps unmapped ones, without duplicates', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['Administrators', 'editors', 'admins', 'user'],
      userAttributes: {},
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ groupRoleMap: { Administrators: 'admin', admins: 'admin' } }),
    );

    // Assess
    expect(roles).toEqual(['user', 'admin', 'editors']);
  });

  it('drops unmapped groups when configured', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['Administrators', 'eu-west-1_Ab12Cd34E_Google'],
      userAttributes: {},
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ groupRoleMap: { Administrators: 'admin' }, unmappedGroupsAsRoles: false }),
    );

    // Assess
    expect(roles).toEqual(['user', 'admin']);
  });

  it('never reads a role from an attribute that is not trusted', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: [],
      userAttributes: { 'custom:role': 'admin', 'custom:roles': 'admin', role: 'admin' },
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ trustedRoleAttributes: ['dev:custom:roles'] }),
    );

    // Assess
    expect(roles).toEqual(['user']);
  });

  it('adds the comma-separated roles of a trusted attribute', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['editors'],
      userAttributes: { 'dev:custom:roles': ' auditor, ,editors ' },
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ trustedRoleAttributes: ['dev:custom:roles'] }),
    );

    // Assess
    expect(roles).toEqual(['user', 'editors', 'auditor']);
  });

  it('does not resolve group names through the object prototype', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['constructor', '__proto__', 'toString'],
      userAttributes: {},
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({
        groupRoleMap: {},
        unmappedGroupsAsRoles: false,
        trustedRoleAttributes: ['constructor'],
      }),
    );

    // Assess
    expect(roles).toEqual(['user']);
  });
});

describe('Function: buildHasuraClaims', () => {
  it('sets the user id to the sub and the default role', () => {
    // Prepare
    const subject = { sub: 'abc-123', groups: ['editors'], userAttributes: {} };

    // Act
    const claims = buildHasuraClaims(subject, config({ defaultRole: 'member' }));

    // Assess
    expect(claims).toEqual({
      'x-hasura-user-id': 'abc-123',
      'x-hasura-default-role': 'member',
      'x-hasura-allowed-roles': ['member', 'editors'],
    });
  });
});

describe('Function: formatHasuraClaims', () => {
  it('returns the object for json and its JSON text for stringified_json', () => {
    // Prepare
    const claims = buildHasuraClaims({ sub: 'abc', groups: [], userAttributes: {} }, config());

    // Act
    const asJson = formatHasuraClaims(claims, 'json');
    const asText = formatHasuraClaims(claims, 'stringified_json');

    // Assess
    expect(asJson).toBe(claims);
    expect(JSON.parse(asText)).toEqual(claims);
  });
});
