/**
 * Hasura's superuser role. A request that runs as `admin` bypasses every permission and may
 * call the metadata API and `run_sql`. Hasura compares role names as exact, case-sensitive
 * text (`RoleName` wraps the text; `isAdmin = (adminRoleName ==)`), so only this spelling is
 * the superuser.
 */
export const ADMIN_ROLE = 'admin';

/**
 * Whether a role name reads as Hasura's `admin`: the exact superuser role, and also its
 * look-alikes (`Admin`, `ADMIN`, ` admin `, the full-width `ａｄｍｉｎ`). Hasura grants
 * superuser rights to the exact spelling only, but a look-alike is never a role anyone means
 * to hand out by accident, reads as the superuser in a token or a log, and becomes one as
 * soon as something on the way (a proxy, an auth hook, application code) normalises case or
 * Unicode. The trigger therefore treats them all as `admin`.
 *
 * @example
 * readsAsAdminRole('Admin'); // true
 * readsAsAdminRole('admins'); // false
 */
export const readsAsAdminRole = (role: string): boolean =>
  role.normalize('NFKC').trim().toLowerCase() === ADMIN_ROLE;
