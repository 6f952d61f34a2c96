import type { ClaimsFormat, PreTokenGenerationConfig } from './config.js';

/** The session variables Hasura reads from the namespace claim of a JWT. */
export interface HasuraClaims {
  /** The user's Cognito `sub`; Hasura permissions compare it with `X-Hasura-User-Id`. */
  readonly 'x-hasura-user-id': string;
  /** The role a request runs as when it sends no `X-Hasura-Role` header. */
  readonly 'x-hasura-default-role': string;
  /** Every role the token holder may pick with `X-Hasura-Role`. */
  readonly 'x-hasura-allowed-roles': readonly string[];
}

/** What the claims are built from: nothing here may come from a client-writable attribute. */
export interface ClaimsSubject {
  /** The user's `sub`. */
  readonly sub: string;
  /** The user's Cognito groups (`groupConfiguration.groupsToOverride`, i.e. `cognito:groups`). */
  readonly groups: readonly string[];
  /** The user's attributes; only those named in `trustedRoleAttributes` are read. */
  readonly userAttributes: Readonly<Record<string, unknown>>;
}

// Object.hasOwn, not `map[key]`: a group called "constructor" or "__proto__" must not reach
// Object.prototype.
const ownString = (record: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  if (!Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The Hasura roles of a user, in a stable order: the default role, then one role per group
 * (renamed by the group → role map; unmapped groups kept or dropped as configured), then
 * the roles listed in trusted attributes. Duplicates and blanks are removed.
 *
 * Only groups (which only administrators can change) and attributes the operator declared
 * trusted are read. Any other attribute, e.g. a client-writable `custom:role`, has no effect.
 */
export const resolveAllowedRoles = (
  subject: ClaimsSubject,
  config: PreTokenGenerationConfig,
): string[] => {
  const roles = new Set<string>([config.defaultRole]);
  for (const group of subject.groups) {
    const mapped = ownString(config.groupRoleMap, group);
    const role = mapped ?? (config.unmappedGroupsAsRoles ? group : undefined);
    if (role !== undefined && role.trim() !== '') roles.add(role.trim());
  }
  for (const attribute of config.trustedRoleAttributes) {
    const value = ownString(subject.userAttributes, attribute);
    if (value === undefined) continue;
    for (const role of value.split(',')) {
      if (role.trim() !== '') roles.add(role.trim());
    }
  }
  return [...roles];
};

/**
 * The Hasura claims of a user.
 *
 * @example
 * buildHasuraClaims({ sub: 'abc', groups: ['admins'], userAttributes: {} }, config);
 * // { 'x-hasura-user-id': 'abc', 'x-hasura-default-role': 'user',
 * //   'x-hasura-allowed-roles': ['user', 'admins'] }
 */
export const buildHasuraClaims = (
  subject: ClaimsSubject,
  config: PreTokenGenerationConfig,
): HasuraClaims => ({
  'x-hasura-user-id': subject.sub,
  'x-hasura-default-role': config.defaultRole,
  'x-hasura-allowed-roles': resolveAllowedRoles(subject, config),
});

/**
 * The value of the namespace claim in the configured format: the object itself (`json`) or
 * its JSON text (`stringified_json`, required for V1 events whose claim values are strings).
 */
export function formatHasuraClaims(claims: HasuraClaims, format: 'stringified_json'): string;
export function formatHasuraClaims(
  claims: HasuraClaims,
  format: ClaimsFormat,
): HasuraClaims | string;
export function formatHasuraClaims(
  claims: HasuraClaims,
  format: ClaimsFormat,
): HasuraClaims | string {
  return format === 'json' ? claims : JSON.stringify(claims);
}
