/**
 * A role's permissions on a table. `admin` may do everything; other roles only what the
 * metadata grants (Hasura hides every field a role has no permission for).
 */
import type {
  InsertPermission,
  SelectPermission,
  TrackedTable,
  UpdatePermission,
} from './catalog.js';

/** The admin role's name. */
export const ADMIN_ROLE = 'admin';

/** The permissions a role has on one table (undefined = none). */
export interface RolePermissions {
  select: SelectPermission | undefined;
  insert: InsertPermission | undefined;
  update: UpdatePermission | undefined;
}

const ADMIN: RolePermissions = {
  select: { columns: '*', filter: {} },
  insert: { columns: '*', check: {}, set: {}, backendOnly: false },
  update: { columns: '*', filter: {}, check: undefined, set: {} },
};

/**
 * The permissions of `role` on `table`.
 *
 * @param isAdminSecret - whether the request proved the admin secret (backend-only inserts)
 */
export const rolePermissions = (
  table: TrackedTable,
  role: string,
  isAdminSecret = true,
): RolePermissions => {
  if (role === ADMIN_ROLE) return ADMIN;
  const insert = table.insert.get(role);
  return {
    select: table.select.get(role),
    // A backend-only insert permission exists only for requests made with the admin secret.
    insert: insert?.backendOnly === true && !isAdminSecret ? undefined : insert,
    update: table.update.get(role),
  };
};

/** Whether a permission's column list allows `column`. */
export const columnsAllowed = (
  permission: { columns: string[] | '*' } | undefined,
  column: string,
): boolean =>
  permission !== undefined && (permission.columns === '*' || permission.columns.includes(column));
