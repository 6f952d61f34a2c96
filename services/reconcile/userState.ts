import type {
  AdminGetUserCommandOutput,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';

/** The columns reconcile reads of the users table (names as Hasura exposes them). */
export interface ReconcileColumns {
  /** The primary key: the Cognito `sub`. @default 'id' */
  readonly id: string;
  /** The Cognito username. @default 'username' */
  readonly username: string;
  /** Cognito attribute name → column, for every mapped attribute. @default { email: 'email' } */
  readonly attributes: Readonly<Record<string, string>>;
  /** Whether the user may sign in. @default 'enabled' */
  readonly enabled: string;
  /** Cognito's `UserStatus`. @default 'user_status' */
  readonly status: string;
  /** Set on a tombstone. @default 'deleted_at' */
  readonly deletedAt: string;
  /** The time of the newest event applied to the row. @default 'last_event_at' */
  readonly lastEventAt: string;
}

/** The users table of `docs/lifecycle.md`. */
export const DEFAULT_RECONCILE_COLUMNS: ReconcileColumns = {
  id: 'id',
  username: 'username',
  attributes: { email: 'email' },
  enabled: 'enabled',
  status: 'user_status',
  deletedAt: 'deleted_at',
  lastEventAt: 'last_event_at',
};

/** A Cognito user as reconcile compares and publishes it. */
export interface CognitoUserState {
  readonly sub: string;
  readonly username: string;
  /** The allow-listed attributes the user has (an absent one is not a key). */
  readonly attributes: Record<string, string>;
  readonly enabled: boolean;
  readonly status: string;
}

/** A row of the users table as reconcile reads it: column → value. */
export type UsersTableRow = Readonly<Record<string, unknown>>;

/** A user as ListUsers or AdminGetUser returns it (they name the attribute list differently). */
type ListedUser = Pick<UserType, 'Username' | 'Enabled' | 'UserStatus' | 'Attributes'>;
type ReadUser = Pick<
  AdminGetUserCommandOutput,
  'Username' | 'Enabled' | 'UserStatus' | 'UserAttributes'
>;

/**
 * The state of a user read from Cognito, with only the allow-listed attributes.
 *
 * @returns `undefined` for a user without a `sub` or a username (nothing to key a row on).
 */
export const toCognitoUserState = (
  user: ListedUser | ReadUser,
  allowList: readonly string[],
): CognitoUserState | undefined => {
  const list = 'Attributes' in user ? user.Attributes : (user as ReadUser).UserAttributes;
  let sub: string | undefined;
  const attributes: Record<string, string> = {};
  for (const attribute of list ?? []) {
    const name = attribute.Name;
    if (name === 'sub') sub = attribute.Value;
    else if (name !== undefined && attribute.Value !== undefined && allowList.includes(name)) {
      attributes[name] = attribute.Value;
    }
  }
  if (!sub || !user.Username) return undefined;
  return {
    sub,
    username: user.Username,
    attributes,
    // Cognito omits Enabled only for enabled users in some SDK paths; absent means enabled.
    enabled: user.Enabled ?? true,
    status: user.UserStatus ?? 'UNKNOWN',
  };
};

/**
 * What differs between a Cognito user and its row: the names of the differing fields
 * (`username`, an attribute name, `enabled`, `status`), never their values; empty when in step.
 * An attribute the user does not have must be NULL in its column.
 */
export const differingFields = (
  user: CognitoUserState,
  row: UsersTableRow,
  columns: ReconcileColumns,
): string[] => {
  const differing: string[] = [];
  if (row[columns.username] !== user.username) differing.push('username');
  for (const [name, column] of Object.entries(columns.attributes)) {
    if ((row[column] ?? null) !== (user.attributes[name] ?? null)) differing.push(name);
  }
  if (row[columns.enabled] !== user.enabled) differing.push('enabled');
  if (row[columns.status] !== user.status) differing.push('status');
  return differing;
};

/** Whether the row is a tombstone (`deleted_at` set). */
export const isTombstone = (row: UsersTableRow, columns: ReconcileColumns): boolean =>
  row[columns.deletedAt] !== null && row[columns.deletedAt] !== undefined;

/**
 * Whether the row was written by an event newer than `readAt` (the row moved on after the read:
 * comparing it with the older read would report drift that is not there).
 */
export const isNewerThan = (
  row: UsersTableRow,
  columns: ReconcileColumns,
  readAt: string,
): boolean => {
  const at = row[columns.lastEventAt];
  return typeof at === 'string' && Date.parse(at) > Date.parse(readAt);
};
