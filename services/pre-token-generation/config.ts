import { boolean, type Env, optionalString, stringList, stringMap } from '../../shared/env.js';
import { ConfigurationError } from '../../shared/errors.js';
import { ADMIN_ROLE, readsAsAdminRole } from './adminRole.js';

/**
 * How the Hasura claims object is written into a token, named as in Hasura's
 * `HASURA_GRAPHQL_JWT_SECRET.claims_format`:
 * - `json`: the namespace claim is a JSON object;
 * - `stringified_json`: the namespace claim is a string holding that object as JSON.
 */
export type ClaimsFormat = (typeof CLAIMS_FORMATS)[number];

/** Every {@link ClaimsFormat}, as Hasura names them. */
export const CLAIMS_FORMATS = ['json', 'stringified_json'] as const;

/** A token a V2/V3 event can customise. */
export type TokenKind = 'id' | 'access';

/** Hasura's own default claims namespace. */
export const DEFAULT_CLAIMS_NAMESPACE = 'https://hasura.io/jwt/claims';

/** Role every signed-in user gets, and the `x-hasura-default-role`. */
export const DEFAULT_ROLE = 'user';

/** Settings of the pre-token-generation trigger, read once per container. */
export interface PreTokenGenerationConfig {
  /**
   * The claim the Hasura claims object is written under (Hasura's `claims_namespace`).
   * @default 'https://hasura.io/jwt/claims'
   */
  readonly claimsNamespace: string;
  /**
   * `x-hasura-default-role`, always also in `x-hasura-allowed-roles`. Never `admin` (nor a
   * look-alike): that would make every signed-in user a database superuser.
   * @default 'user'
   */
  readonly defaultRole: string;
  /**
   * Cognito group name → Hasura role name. No entry may name `admin` (or a look-alike): the
   * superuser role is granted through {@link adminGroups} only.
   * @default {} (no group is renamed)
   */
  readonly groupRoleMap: Readonly<Record<string, string>>;
  /**
   * Whether a group missing from {@link groupRoleMap} becomes a role of the same name. A group
   * whose name reads as `admin` never does (it is dropped and reported).
   * @default false (only mapped groups become roles)
   */
  readonly unmappedGroupsAsRoles: boolean;
  /**
   * The Cognito groups whose members get Hasura's superuser role `admin`: the only way the
   * trigger ever grants it.
   * @default [] (no token carries `admin`)
   */
  readonly adminGroups: readonly string[];
  /**
   * User attributes whose value (comma-separated role names) adds roles. List only
   * attributes that no app client can write (see docs/pre-token-generation.md): any other
   * attribute, e.g. `custom:role`, is ignored, whatever its value. A value that reads as
   * `admin` is dropped and reported.
   * @default [] (roles come from groups only)
   */
  readonly trustedRoleAttributes: readonly string[];
  /**
   * Format for V1 events. V1 claim values must be strings, so only `stringified_json` works.
   * @default 'stringified_json'
   */
  readonly claimsFormatV1: 'stringified_json';
  /**
   * Format for V2/V3 events, which accept JSON objects as claim values.
   * @default 'json'
   */
  readonly claimsFormatV2: ClaimsFormat;
  /**
   * Tokens that carry the claims in V2/V3 events (V1 events only reach the id token).
   * @default ['id', 'access']
   */
  readonly tokensV2: readonly TokenKind[];
}

/** The configuration with every default applied. */
export const defaultPreTokenGenerationConfig: PreTokenGenerationConfig = {
  claimsNamespace: DEFAULT_CLAIMS_NAMESPACE,
  defaultRole: DEFAULT_ROLE,
  groupRoleMap: {},
  unmappedGroupsAsRoles: false,
  adminGroups: [],
  trustedRoleAttributes: [],
  claimsFormatV1: 'stringified_json',
  claimsFormatV2: 'json',
  tokensV2: ['id', 'access'],
};

const claimsFormat = (env: Env, name: string, fallback: ClaimsFormat): ClaimsFormat => {
  const value = optionalString(env, name, fallback);
  const format = CLAIMS_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) {
    throw new ConfigurationError(
      name,
      `${name} must be ${CLAIMS_FORMATS.join(' or ')} (Hasura's claims_format), got "${value}"`,
    );
  }
  return format;
};

const tokenKinds = (env: Env, name: string, fallback: readonly TokenKind[]): TokenKind[] => {
  const kinds: TokenKind[] = [];
  for (const item of stringList(env, name, fallback)) {
    if (item !== 'id' && item !== 'access') {
      throw new ConfigurationError(name, `${name} lists "${item}": use id, access or id,access`);
    }
    if (!kinds.includes(item)) kinds.push(item);
  }
  if (kinds.length === 0) {
    throw new ConfigurationError(name, `${name} is empty: use id, access or id,access`);
  }
  return kinds;
};

const adminGroupsHint = `list the administrators' Cognito groups in HASURA_ADMIN_GROUPS to grant Hasura's superuser role "${ADMIN_ROLE}" on purpose`;

const groupRoles = (name: string, map: Record<string, string>): Record<string, string> => {
  for (const [group, role] of Object.entries(map)) {
    if (role.trim() === '') {
      throw new ConfigurationError(name, `${name} maps group "${group}" to an empty role name`);
    }
    if (readsAsAdminRole(role)) {
      throw new ConfigurationError(
        name,
        `${name} maps group "${group}" to "${role}", which reads as Hasura's superuser role "${ADMIN_ROLE}": remove the entry and ${adminGroupsHint}`,
      );
    }
  }
  return map;
};

const defaultRoleOf = (env: Env, name: string): string => {
  const role = optionalString(env, name, DEFAULT_ROLE);
  if (readsAsAdminRole(role)) {
    throw new ConfigurationError(
      name,
      `${name} is "${role}", which reads as Hasura's superuser role "${ADMIN_ROLE}": every signed-in user would bypass all permissions; choose a role with its own permissions (the default is "${DEFAULT_ROLE}") and ${adminGroupsHint}`,
    );
  }
  return role;
};

/**
 * Reads the trigger's configuration from the environment (once, at cold start).
 *
 * | variable | default |
 * |---|---|
 * | `HASURA_CLAIMS_NAMESPACE` | `https://hasura.io/jwt/claims` |
 * | `HASURA_DEFAULT_ROLE` | `user` |
 * | `HASURA_GROUP_ROLE_MAP` | `{}` (JSON object, group → role; no role `admin`) |
 * | `HASURA_UNMAPPED_GROUPS_AS_ROLES` | `false` |
 * | `HASURA_ADMIN_GROUPS` | empty (comma-separated groups that grant `admin`) |
 * | `HASURA_TRUSTED_ROLE_ATTRIBUTES` | empty (comma-separated attribute names) |
 * | `HASURA_CLAIMS_FORMAT_V1` | `stringified_json` (the only value V1 allows) |
 * | `HASURA_CLAIMS_FORMAT_V2` | `json` (or `stringified_json`) |
 * | `HASURA_CLAIMS_TOKENS_V2` | `id,access` |
 *
 * @throws {@link ConfigurationError} naming the variable when a value is invalid, and when
 * `HASURA_DEFAULT_ROLE` or a `HASURA_GROUP_ROLE_MAP` entry reads as `admin`.
 * @example
 * const config = loadPreTokenGenerationConfig(process.env);
 */
export const loadPreTokenGenerationConfig = (env: Env): PreTokenGenerationConfig => {
  const claimsFormatV1 = claimsFormat(
    env,
    'HASURA_CLAIMS_FORMAT_V1',
    defaultPreTokenGenerationConfig.claimsFormatV1,
  );
  if (claimsFormatV1 !== 'stringified_json') {
    throw new ConfigurationError(
      'HASURA_CLAIMS_FORMAT_V1',
      'HASURA_CLAIMS_FORMAT_V1 must be stringified_json: V1 events only accept string claim values; ' +
        'switch the user pool trigger to V2 to use json',
    );
  }
  return {
    claimsNamespace: optionalString(env, 'HASURA_CLAIMS_NAMESPACE', DEFAULT_CLAIMS_NAMESPACE),
    defaultRole: defaultRoleOf(env, 'HASURA_DEFAULT_ROLE'),
    groupRoleMap: groupRoles('HASURA_GROUP_ROLE_MAP', stringMap(env, 'HASURA_GROUP_ROLE_MAP', {})),
    unmappedGroupsAsRoles: boolean(
      env,
      'HASURA_UNMAPPED_GROUPS_AS_ROLES',
      defaultPreTokenGenerationConfig.unmappedGroupsAsRoles,
    ),
    adminGroups: stringList(env, 'HASURA_ADMIN_GROUPS', []),
    trustedRoleAttributes: stringList(env, 'HASURA_TRUSTED_ROLE_ATTRIBUTES', []),
    claimsFormatV1,
    claimsFormatV2: claimsFormat(
      env,
      'HASURA_CLAIMS_FORMAT_V2',
      defaultPreTokenGenerationConfig.claimsFormatV2,
    ),
    tokensV2: tokenKinds(env, 'HASURA_CLAIMS_TOKENS_V2', defaultPreTokenGenerationConfig.tokensV2),
  };
};
