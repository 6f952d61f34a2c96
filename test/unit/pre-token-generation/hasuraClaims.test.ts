import { describe, expect, it } from '@jest/globals';
import {
  buildHasuraClaims,
  defaultPreTokenGenerationConfig,
  formatHasuraClaims,
  type PreTokenGenerationConfig,
  readsAsAdminRole,
  resolveAllowedRoles,
  resolveRoles,
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

  it('drops unmapped groups by default', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['Administrators', 'editors', 'eu-west-1_Ab12Cd34E_Google'],
      userAttributes: {},
    };

    // Act
    const roles = resolveRoles(subject, config({ groupRoleMap: { editors: 'editor' } }));

    // Assess
    expect(roles).toEqual({ allowed: ['user', 'editor'], refused: [] });
  });

  it('renames mapped groups and keeps unmapped ones when configured, without duplicates', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: ['Editors', 'editors', 'moderators', 'user'],
      userAttributes: {},
    };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ groupRoleMap: { Editors: 'editors' }, unmappedGroupsAsRoles: true }),
    );

    // Assess
    expect(roles).toEqual(['user', 'editors', 'moderators']);
  });

  it('grants admin to a member of an admin group only', () => {
    // Prepare
    const member = { sub: 'a', groups: ['Administrators'], userAttributes: {} };
    const other = { sub: 'b', groups: ['administrators', 'editors'], userAttributes: {} };
    const settings = config({ adminGroups: ['Administrators'], unmappedGroupsAsRoles: true });

    // Act
    const memberRoles = resolveRoles(member, settings);
    const otherRoles = resolveRoles(other, settings);

    // Assess
    expect(memberRoles).toEqual({ allowed: ['user', 'admin'], refused: [] });
    expect(otherRoles).toEqual({ allowed: ['user', 'administrators', 'editors'], refused: [] });
  });

  it('adds the mapped role of an admin group besides admin', () => {
    // Prepare
    const subject = { sub: 's', groups: ['ops'], userAttributes: {} };

    // Act
    const roles = resolveAllowedRoles(
      subject,
      config({ adminGroups: ['ops'], groupRoleMap: { ops: 'operator' } }),
    );

    // Assess
    expect(roles).toEqual(['user', 'admin', 'operator']);
  });

  it.each(['admin', 'Admin', 'ADMIN', ' admin ', '\uff41\uff44\uff4d\uff49\uff4e'])(
    'refuses the unmapped group "%s" as a role',
    (group) => {
      // Prepare
      const subject = { sub: 's', groups: [group, 'editors'], userAttributes: {} };

      // Act
      const roles = resolveRoles(subject, config({ unmappedGroupsAsRoles: true }));

      // Assess
      expect(roles).toEqual({
        allowed: ['user', 'editors'],
        refused: [{ source: 'group', from: group, role: group.trim() }],
      });
    },
  );

  it('refuses a trusted attribute value that reads as admin', () => {
    // Prepare
    const subject = {
      sub: 's',
      groups: [],
      userAttributes: { 'dev:custom:roles': 'auditor, Admin ,admin' },
    };

    // Act
    const roles = resolveRoles(subject, config({ trustedRoleAttributes: ['dev:custom:roles'] }));

    // Assess
    expect(roles).toEqual({
      allowed: ['user', 'auditor'],
      refused: [
        { source: 'attribute', from: 'dev:custom:roles', role: 'Admin' },
        { source: 'attribute', from: 'dev:custom:roles', role: 'admin' },
      ],
    });
  });

  it('refuses admin from a group map or default role of a config the loader did not check', () => {
    // Prepare
    const subject = { sub: 's', groups: ['Administrators'], userAttributes: {} };

    // Act
    const roles = resolveRoles(
      subject,
      config({ defaultRole: 'ADMIN', groupRoleMap: { Administrators: 'admin' } }),
    );

    // Assess
    expect(roles).toEqual({
      allowed: [],
      refused: [
        { source: 'default-role', from: 'ADMIN', role: 'ADMIN' },
        { source: 'group-map', from: 'Administrators', role: 'admin' },
      ],
    });
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
      config({ trustedRoleAttributes: ['dev:custom:roles'], unmappedGroupsAsRoles: true }),
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
    const claims = buildHasuraClaims(
      subject,
      config({ defaultRole: 'member', groupRoleMap: { editors: 'editors' } }),
    );

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

describe('Function: readsAsAdminRole', () => {
  it.each(['admin', 'Admin', 'aDMIN', ' admin', 'admin\t', '\uff21\uff24\uff2d\uff29\uff2e'])(
    'reads "%s" as admin',
    (role) => {
      // Act
      const reads = readsAsAdminRole(role);

      // Assess
      expect(reads).toBe(true);
    },
  );

  it.each(['admins', 'administrator', 'user', 'ad min', 'admin-readonly', ''])(
    'does not read "%s" as admin',
    (role) => {
      // Act
      const reads = readsAsAdminRole(role);

      // Assess
      expect(reads).toBe(false);
    },
  );
});
