import {
  DETAIL_TYPES,
  type DetailType,
  occurredAtOf,
  type SyncEvent,
} from '../../shared/events/syncEvent.js';
import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';

/** The event fields a column can be filled from (besides `attributes.<name>`). */
export const EVENT_FIELDS = [
  'eventId',
  'userPoolId',
  'sub',
  'username',
  'clientId',
  'triggerSource',
  'authenticatedAt',
  'occurredAt',
  'enabled',
  'status',
  'deletedAt',
] as const;

/**
 * Event fields every column map must map: the key, the ordering clock (`occurredAt`, `eventId`)
 * and the tombstone (`deletedAt`), without which a deleted user could come back.
 */
export const REQUIRED_EVENT_FIELDS = ['sub', 'eventId', 'occurredAt', 'deletedAt'] as const;

/** The default event → column map; matches the `users` table of the `hasura/` project. */
export const DEFAULT_COLUMN_MAP: Readonly<Record<string, string>> = {
  sub: 'id',
  username: 'username',
  'attributes.email': 'email',
  enabled: 'enabled',
  status: 'user_status',
  authenticatedAt: 'last_seen_at',
  occurredAt: 'last_event_at',
  eventId: 'last_event_id',
  deletedAt: 'deleted_at',
};

/** A value written to a column: event values are strings or booleans; cleared ones `null`. */
export type ColumnValue = string | boolean | null;

/** A row of the users table, ready for `users_insert_input`. */
export type UserRow = Record<string, ColumnValue>;

/**
 * What one user's row is built from: the event that wins the profile register (or the
 * deletion), and the newest login of the batch when the winner is a state event (it rides
 * along for `last_seen_at`).
 */
export interface UserWrite {
  readonly event: SyncEvent;
  /** The batch's newest login of the user, older than `event` (a state event only). */
  readonly seen?: UserAuthenticatedV1 | undefined;
}

/** The columns of one row shape: every row of a shape has exactly these keys. */
export interface RowShape {
  /** Identifies the shape: the detail type and what the row carries. */
  readonly key: string;
  /** The detail type whose rows have this shape. */
  readonly type: DetailType;
  /** The row's columns, in map order. */
  readonly columns: readonly string[];
  /** Columns an upsert of this shape overwrites: all but the primary key. */
  readonly updateColumns: readonly string[];
  /** Whether the row carries a sign-in time (`authenticatedAt` mapped and known). */
  readonly carriesSeenAt: boolean;
}

/** A column map resolved once at cold start. */
export interface CompiledColumnMap {
  /** Column holding `sub` (the primary key). */
  readonly idColumn: string;
  /** Column holding `occurredAt` (the ordering clock). */
  readonly eventAtColumn: string;
  /** Column holding `eventId` (the tie-break). */
  readonly eventIdColumn: string;
  /** Column holding `deletedAt` (the tombstone). */
  readonly deletedAtColumn: string;
  /** Column holding a login's `authenticatedAt`, when mapped. */
  readonly seenAtColumn: string | undefined;
  /** Every mapped column, in map order. */
  readonly columns: readonly string[];
  /** Builds the row of one user's write, and its shape. */
  toRow(write: UserWrite): { readonly shape: RowShape; readonly row: UserRow };
}

/** A value absent from a row: the column keeps what is stored. */
const ABSENT = Symbol('absent');

type Getter = (write: UserWrite) => ColumnValue | typeof ABSENT;

type EventField = (typeof EVENT_FIELDS)[number];

const isEventField = (path: string): path is EventField =>
  (EVENT_FIELDS as readonly string[]).includes(path);

const { authenticated, signedUp, updated, deleted } = DETAIL_TYPES;

/**
 * The getter of one event field. A deletion clears every column but the key, the ordering
 * clock and the tombstone; a field a type does not carry (`clientId` of a `UserUpdated`, the
 * `status` of an older login) is absent, so the stored value stays.
 */
const getterFor = (path: string): Getter => {
  const live =
    (get: (write: UserWrite) => ColumnValue | typeof ABSENT): Getter =>
    (write) =>
      write.event.type === deleted ? null : get(write);
  if (path.startsWith('attributes.')) {
    const name = path.slice('attributes.'.length);
    // An attribute the user does not have is written as null, so the row mirrors Cognito.
    return live(({ event }) =>
      event.type === deleted ? null : (event.detail.attributes[name] ?? null),
    );
  }
  // loadUserSyncConfig rejects unknown fields; a map built elsewhere must not write undefined.
  if (!isEventField(path)) throw new TypeError(`column map has an unknown event field "${path}"`);
  switch (path) {
    case 'sub':
    case 'eventId':
      return ({ event }) => event.detail[path];
    case 'occurredAt':
      return ({ event }) => occurredAtOf(event);
    case 'deletedAt':
      return ({ event }) => (event.type === deleted ? event.detail.occurredAt : ABSENT);
    case 'userPoolId':
      return live(({ event }) => event.detail.userPoolId);
    case 'username':
      return live(({ event }) => (event.type === deleted ? null : event.detail.username));
    case 'clientId':
      return live(({ event }) =>
        event.type === authenticated || event.type === signedUp ? event.detail.clientId : ABSENT,
      );
    case 'triggerSource':
      return live(({ event }) =>
        event.type === authenticated ? event.detail.triggerSource : ABSENT,
      );
    case 'authenticatedAt':
      return live(({ event, seen }) =>
        event.type === authenticated
          ? event.detail.authenticatedAt
          : (seen?.authenticatedAt ?? ABSENT),
      );
    case 'enabled':
      // Cognito refuses a disabled user's sign-in: a login says the user is enabled.
      return live(({ event }) =>
        event.type === authenticated ? true : event.type === deleted ? null : event.detail.enabled,
      );
    case 'status':
      return live(({ event }) =>
        event.type === deleted
          ? null
          : event.type === authenticated
            ? (event.detail.status ?? ABSENT)
            : event.detail.status,
      );
  }
};

/**
 * Resolves a validated event → column map (see `loadUserSyncConfig`, which validates it) into
 * getters and row shapes, so building a row costs one loop and no string parsing per record.
 * Shapes are compiled on first use: a detail type, with or without a login's status, with or
 * without a riding login.
 */
export const compileColumnMap = (map: Readonly<Record<string, string>>): CompiledColumnMap => {
  const entries = Object.entries(map);
  const columnOf = (field: string): string => {
    const column = map[field];
    if (column === undefined) throw new TypeError(`column map has no entry for "${field}"`);
    return column;
  };
  const idColumn = columnOf('sub');
  const seenAtColumn = map.authenticatedAt;
  const statusMapped = map.status !== undefined;
  const getters: Array<readonly [string, Getter]> = entries.map(
    ([path, column]) => [column, getterFor(path)] as const,
  );
  const shapes = new Map<string, RowShape>();
  const shapeOf = (write: UserWrite, row: UserRow): RowShape => {
    const { event } = write;
    const withStatus =
      event.type === authenticated && statusMapped && event.detail.status !== undefined;
    const withSeen = event.type !== authenticated && write.seen !== undefined;
    const key = `${event.type}${withStatus ? '+status' : ''}${withSeen ? '+seen' : ''}`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      const columns = Object.keys(row);
      shape = {
        key,
        type: event.type,
        columns,
        updateColumns: columns.filter((column) => column !== idColumn),
        carriesSeenAt: seenAtColumn !== undefined && event.type !== deleted && seenAtColumn in row,
      };
      shapes.set(key, shape);
    }
    return shape;
  };
  return {
    idColumn,
    eventAtColumn: columnOf('occurredAt'),
    eventIdColumn: columnOf('eventId'),
    deletedAtColumn: columnOf('deletedAt'),
    seenAtColumn,
    columns: entries.map(([, column]) => column),
    toRow(write) {
      const row: UserRow = {};
      for (const [column, get] of getters) {
        const value = get(write);
        if (value !== ABSENT) row[column] = value;
      }
      return { shape: shapeOf(write, row), row };
    },
  };
};

/** The detail types in the order their fields are written in one request. */
export const WRITE_ORDER: readonly DetailType[] = [authenticated, signedUp, updated, deleted];
