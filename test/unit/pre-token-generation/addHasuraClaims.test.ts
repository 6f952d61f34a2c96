import { describe, expect, it } from '@jest/globals';
import {
  addHasuraClaims,
  DEFAULT_CLAIMS_NAMESPACE,
  defaultPreTokenGenerationConfig,
  type PreTokenGenerationConfig,
  TokenGenerationTriggerSource,
} from '../../../services/pre-token-generation/index.js';
import { loadTokenEvent, v1Claims, v2Claims, valueAt, withGroups } from './tokenEvents.js';

const ns = DEFAULT_CLAIMS_NAMESPACE;
const config = (overrides: Partial<PreTokenGenerationConfig> = {}): PreTokenGenerationConfig => ({
  ...defaultPreTokenGenerationConfig,
  ...overrides,
});

describe('Function: addHasuraClaims', () => {
  it('writes stringified claims into the id token of a V1 event', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1');

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome.status).toBe('added');
    const claim = valueAt(
      outcome.event,
      'response',
      'claimsOverrideDetails',
      'claimsToAddOrOverride',
      ns,
    );
    expect(typeof claim).toBe('string');
    expect(v1Claims(outcome.event, ns)).toEqual({
      'x-hasura-user-id': '6b1f0b3e-7c55-4a8e-9e0a-1d2c3b4a5f60',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user'],
    });
  });

  it('keeps the rest of a V1 event as received', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1');

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome.event).toMatchObject({
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      userPoolId: 'eu-west-1_Ab12Cd34E',
      userName: 'ada',
      request: event.request,
    });
    expect(valueAt(outcome.event, 'response', 'claimsAndScopeOverrideDetails')).toBeUndefined();
  });

  it('writes claim objects into both tokens of a V2 event with several groups', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');
    const expected = {
      'x-hasura-user-id': '0c9e8d7f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user', 'editor', 'moderators'],
    };

    // Act
    const outcome = addHasuraClaims(
      event,
      config({ groupRoleMap: { editors: 'editor' }, unmappedGroupsAsRoles: true }),
    );

    // Assess
    expect(outcome).toMatchObject({ status: 'added', version: '2', tokens: ['id', 'access'] });
    expect(v2Claims(outcome.event, 'idTokenGeneration', ns)).toEqual(expected);
    expect(v2Claims(outcome.event, 'accessTokenGeneration', ns)).toEqual(expected);
    expect(valueAt(outcome.event, 'response', 'claimsOverrideDetails')).toBeUndefined();
  });

  it('writes stringified claims into a V2 event when configured', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');

    // Act
    const outcome = addHasuraClaims(
      event,
      config({ claimsFormatV2: 'stringified_json', groupRoleMap: { moderators: 'moderator' } }),
    );

    // Assess
    const claim = v2Claims(outcome.event, 'accessTokenGeneration', ns);
    expect(typeof claim).toBe('string');
    expect(JSON.parse(String(claim))).toMatchObject({
      'x-hasura-allowed-roles': ['user', 'moderator'],
    });
  });

  it('writes the claims into the access token only when configured', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');

    // Act
    const outcome = addHasuraClaims(event, config({ tokensV2: ['access'] }));

    // Assess
    expect(v2Claims(outcome.event, 'accessTokenGeneration', ns)).toMatchObject({
      'x-hasura-user-id': '0c9e8d7f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
    });
    expect(
      valueAt(outcome.event, 'response', 'claimsAndScopeOverrideDetails', 'idTokenGeneration'),
    ).toBeUndefined();
  });

  it('renames a mapped group on a refresh-token event', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2RefreshTokens');

    // Act
    const outcome = addHasuraClaims(
      event,
      config({ groupRoleMap: { Administrators: 'operator' } }),
    );

    // Assess
    expect(outcome.status).toBe('added');
    expect(v2Claims(outcome.event, 'idTokenGeneration', ns)).toEqual({
      'x-hasura-user-id': 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user', 'operator'],
    });
  });

  it.each(
    Object.values(TokenGenerationTriggerSource).filter(
      (source) => source !== TokenGenerationTriggerSource.ClientCredentials,
    ),
  )('adds claims for trigger source %s in V1 and V2 events', (triggerSource) => {
    // Prepare
    const v1 = { ...loadTokenEvent('preTokenGenerationV1'), triggerSource };
    const v2 = { ...loadTokenEvent('preTokenGenerationV2'), triggerSource };

    // Act
    const outcomes = [addHasuraClaims(v1, config()), addHasuraClaims(v2, config())];

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['added', 'added']);
  });

  it('treats a version 3 user event like version 2', () => {
    // Prepare
    const event = { ...loadTokenEvent('preTokenGenerationV2'), version: '3' };

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome).toMatchObject({ status: 'added', version: '2' });
    expect(v2Claims(outcome.event, 'accessTokenGeneration', ns)).toMatchObject({
      'x-hasura-default-role': 'user',
    });
  });

  it('ignores a client-writable custom:role attribute that claims admin', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1CustomRoleAttribute');

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome.status).toBe('added');
    expect(v1Claims(outcome.event, ns)).toEqual({
      'x-hasura-user-id': '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user'],
    });
  });

  it('reads roles from an attribute only when it is configured as trusted', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1CustomRoleAttribute');

    // Act
    const outcome = addHasuraClaims(event, config({ trustedRoleAttributes: ['custom:roles'] }));

    // Assess
    expect(v1Claims(outcome.event, ns)).toMatchObject({
      'x-hasura-allowed-roles': ['user', 'superuser'],
    });
  });

  it('uses the configured namespace and default role', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');
    const namespace = 'https://example.com/hasura';

    // Act
    const outcome = addHasuraClaims(
      event,
      config({ claimsNamespace: namespace, defaultRole: 'member', unmappedGroupsAsRoles: true }),
    );

    // Assess
    expect(v2Claims(outcome.event, 'idTokenGeneration', namespace)).toMatchObject({
      'x-hasura-default-role': 'member',
      'x-hasura-allowed-roles': ['member', 'editors', 'moderators'],
    });
    expect(v2Claims(outcome.event, 'idTokenGeneration', ns)).toBeUndefined();
  });

  it('keeps overrides already present in the response', () => {
    // Prepare
    const event = {
      ...loadTokenEvent('preTokenGenerationV2'),
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme' },
            claimsToSuppress: ['email'],
          },
          accessTokenGeneration: { scopesToAdd: ['orders/read'] },
        },
      },
    };

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome.event).toMatchObject({
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme', [ns]: expect.any(Object) },
            claimsToSuppress: ['email'],
          },
          accessTokenGeneration: {
            scopesToAdd: ['orders/read'],
            claimsToAddOrOverride: { [ns]: expect.any(Object) },
          },
        },
      },
    });
  });

  it('gives no role to the groups of a V2 event by default', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(v2Claims(outcome.event, 'accessTokenGeneration', ns)).toMatchObject({
      'x-hasura-allowed-roles': ['user'],
    });
  });

  it.each([
    ['the default config', {}],
    ['unmapped groups as roles', { unmappedGroupsAsRoles: true }],
    ['another admin group', { unmappedGroupsAsRoles: true, adminGroups: ['Administrators'] }],
  ])(
    'keeps admin out of the tokens of a member of the group "admin" with %s',
    (_label, overrides) => {
      // Prepare
      const event = withGroups(loadTokenEvent('preTokenGenerationV2'), ['admin', 'editors']);

      // Act
      const outcome = addHasuraClaims(event, config(overrides));

      // Assess
      expect(outcome.status).toBe('added');
      for (const token of ['idTokenGeneration', 'accessTokenGeneration'] as const) {
        expect(v2Claims(outcome.event, token, ns)).toMatchObject({
          'x-hasura-default-role': 'user',
          'x-hasura-allowed-roles': expect.not.arrayContaining(['admin']),
        });
      }
    },
  );

  it('reports the admin role it refused for an unmapped group', () => {
    // Prepare
    const event = withGroups(loadTokenEvent('preTokenGenerationV1'), ['Admin', 'editors']);

    // Act
    const outcome = addHasuraClaims(event, config({ unmappedGroupsAsRoles: true }));

    // Assess
    expect(outcome).toMatchObject({
      status: 'added',
      refusedRoles: [{ source: 'group', from: 'Admin', role: 'Admin' }],
    });
    expect(v1Claims(outcome.event, ns)).toMatchObject({
      'x-hasura-allowed-roles': ['user', 'editors'],
    });
  });

  it('grants admin to a member of a configured admin group', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2RefreshTokens');

    // Act
    const outcome = addHasuraClaims(event, config({ adminGroups: ['Administrators'] }));

    // Assess
    expect(outcome).toMatchObject({ status: 'added', refusedRoles: [] });
    expect(v2Claims(outcome.event, 'accessTokenGeneration', ns)).toEqual({
      'x-hasura-user-id': 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user', 'admin'],
    });
  });

  it('refuses admin from a trusted attribute and reports it', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV1CustomRoleAttribute');

    // Act
    const outcome = addHasuraClaims(
      event,
      config({ trustedRoleAttributes: ['custom:roles'], adminGroups: ['admin'] }),
    );

    // Assess
    expect(outcome).toMatchObject({
      status: 'added',
      refusedRoles: [{ source: 'attribute', from: 'custom:roles', role: 'admin' }],
    });
  });

  it('returns the event unchanged when the default role of an unchecked config is admin', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2');

    // Act
    const outcome = addHasuraClaims(event, config({ defaultRole: 'admin' }));

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'admin-default-role' });
    expect(outcome.event).toBe(event);
  });

  it('returns the event unchanged when sub is missing', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV2MissingSub');
    const before = structuredClone(event);

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'missing-sub' });
    expect(outcome.event).toBe(event);
    expect(event).toEqual(before);
  });

  it('returns a machine-to-machine event unchanged', () => {
    // Prepare
    const event = loadTokenEvent('preTokenGenerationV3ClientCredentials');

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'machine-to-machine' });
    expect(outcome.event).toBe(event);
  });

  it('returns an event of an unknown version unchanged', () => {
    // Prepare
    const event = { ...loadTokenEvent('preTokenGenerationV2'), version: '9' };

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'unsupported-version' });
    expect(outcome.event).toBe(event);
  });

  it.each([
    ['null', null],
    ['a string', 'TokenGeneration_Authentication'],
    ['an array', []],
    ['an event without request', { ...loadTokenEvent('preTokenGenerationV1'), request: undefined }],
    [
      'groups that are not a list',
      {
        ...loadTokenEvent('preTokenGenerationV1'),
        request: {
          userAttributes: { sub: 'x' },
          groupConfiguration: { groupsToOverride: 'admin' },
        },
      },
    ],
    [
      'another trigger',
      {
        ...loadTokenEvent('preTokenGenerationV1'),
        triggerSource: 'PostAuthentication_Authentication',
      },
    ],
  ])('returns %s unchanged as a malformed event', (_label, event) => {
    // Prepare
    const before = structuredClone(event);

    // Act
    const outcome = addHasuraClaims(event, config());

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'malformed-event' });
    expect(outcome.event).toBe(event);
    expect(event).toEqual(before);
  });
});
