import { ADMIN_ROLE, readsAsAdminRole } from './adminRole.js';
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

/** Where a refused role came from. */
export type RefusedRoleSource =
  /** An unmapped group whose name reads as `admin` (with `unmappedGroupsAsRoles`). */
  | 'group'
  /** A group → role map entry naming `admin` (only in a config the loader did not check). */
  | 'group-map'
  /** A value of a trusted role attribute. */
  | 'attribute'
  /** The default role (only in a config the loader did not check). */
  | 'default-role';

/**
 * A role that read as Hasura's superuser `admin` without coming from one of the configured
 * admin groups, and was therefore left out of the claims. Safe to log: group and attribute
 * names are configuration, and the role is a spelling of `admin`.
 */
export interface RefusedRole {
  readonly source: RefusedRoleSource;
  /** The group or attribute name it came from (the default role: the role itself). */
  readonly from: string;
  /** The role as it would have appeared in the claims. */
  readonly role: string;
}

/** The roles of a user, and the `admin` look-alikes that were refused. */
export interface ResolvedRoles {
  /** `x-hasura-allowed-roles`: the default role first. */
  readonly allowed: string[];
  /** Roles that read as `admin` and were dropped; empty in the normal case. */
  readonly refused: RefusedRole[];
}

// Object.hasOwn, not `map[key]`: a group called "constructor" or "__proto__" must not reach
// Object.prototype.
const ownString = (record: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  if (!Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
};

// Roles in refusals are short by construction (they read as "admin"); the cap bounds a log line
// against a value padded with blanks.
const MAX_LOGGED_LENGTH = 64;

/**
 * The Hasura roles of a user, in a stable order: the default role, then per group `admin`
 * when the group is one of `adminGroups`, its mapped role, or (with `unmappedGroupsAsRoles`)
 * its own name, then the roles listed in trusted attributes. Duplicates and blanks are
 * removed.
 *
 * Only groups (which only administrators can change) and attributes the operator declared
 * trusted are read. Any other attribute, e.g. a client-writable `custom:role`, has no effect.
 * Hasura's superuser role `admin` comes only from membership in an admin group: any other
 * role that reads as `admin` (see {@link readsAsAdminRole}) is left out and reported in
 * `refused`.
 *
 * @example
 * resolveRoles({ sub: 'abc', groups: ['admin', 'ops'], userAttributes: {} }, {
 *   ...defaultPreTokenGenerationConfig,
 *   unmappedGroupsAsRoles: true,
 * });
 * // { allowed: ['user', 'ops'], refused: [{ source: 'group', from: 'admin', role: 'admin' }] }
 */
export const resolveRoles = (
  subject: ClaimsSubject,
  config: PreTokenGenerationConfig,
): ResolvedRoles => {
  const allowed = new Set<string>();
  const refused: RefusedRole[] = [];
  const add = (role: string, source: RefusedRoleSource, from: string): void => {
    const trimmed = role.trim();
    if (trimmed === '') return;
    if (readsAsAdminRole(trimmed)) {
      refused.push({
        source,
        from: from.slice(0, MAX_LOGGED_LENGTH),
        role: trimmed.slice(0, MAX_LOGGED_LENGTH),
      });
      return;
    }
    allowed.add(trimmed);
  };
  add(config.defaultRole, 'default-role', config.defaultRole);
  for (const group of subject.groups) {
    const isAdminGroup = config.adminGroups.includes(group);
    if (isAdminGroup) allowed.add(ADMIN_ROLE);
    const mapped = ownString(config.groupRoleMap, group);
    if (mapped !== undefined) add(mapped, 'group-map', group);
    // An admin group's own name is not a second role: its role is `admin`.
    else if (config.unmappedGroupsAsRoles && !isAdminGroup) add(group, 'group', group);
  }
  for (const attribute of config.trustedRoleAttributes) {
    const value = ownString(subject.userAttributes, attribute);
    if (value === undefined) continue;
    for (const role of value.split(',')) add(role, 'attribute', attribute);
  }
  return { allowed: [...allowed], refused };
};

/** The allowed roles of {@link resolveRoles}, without the refusals. */
export const resolveAllowedRoles = (
  subject: ClaimsSubject,
  config: PreTokenGenerationConfig,
): string[] => resolveRoles(subject, config).allowed;

/**
 * The Hasura claims of a user.
 *
 * @example
 * buildHasuraClaims({ sub: 'abc', groups: ['admins'], userAttributes: {} }, {
 *   ...config,
 *   groupRoleMap: { admins: 'operator' },
 * });
 * // { 'x-hasura-user-id': 'abc', 'x-hasura-default-role': 'user',
 * //   'x-hasura-allowed-roles': ['user', 'operator'] }
 */
export const buildHasuraClaims = (
  subject: ClaimsSubject,
  config: PreTokenGenerationConfig,
): HasuraClaims => claimsOf(subject.sub, config.defaultRole, resolveAllowedRoles(subject, config));

/** The claims object for a user id, default role and allowed roles. */
export const claimsOf = (
  sub: string,
  defaultRole: string,
  allowedRoles: readonly string[],
): HasuraClaims => ({
  'x-hasura-user-id': sub,
  'x-hasura-default-role': defaultRole,
  'x-hasura-allowed-roles': allowedRoles,
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
