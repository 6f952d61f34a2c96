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

type Getter = (write: UserWrite) => ColumnValue;

type EventField = (typeof EVENT_FIELDS)[number];

const isEventField = (path: string): path is EventField =>
  (EVENT_FIELDS as readonly string[]).includes(path);

const { authenticated, signedUp, updated, deleted } = DETAIL_TYPES;

/** A row variant: a detail type, and what its events of the batch carry. */
interface Variant {
  readonly type: DetailType;
  /** A login carrying `status` (and `status` mapped). */
  readonly status: boolean;
  /** A state event with a riding login. */
  readonly seen: boolean;
}

/** Reads a field of the event's detail (every type of the contract carries it). */
const detailField =
  (field: 'sub' | 'eventId' | 'userPoolId'): Getter =>
  ({ event }) =>
    event.detail[field];

const CLEARED: Getter = () => null;

/**
 * The getter of one event field for one row variant, or `undefined` when rows of that variant
 * leave the column out (the stored value stays): a field the type does not carry (`clientId` of
 * a `UserUpdated`, the `status` of a login of an older trigger). A deletion clears every column
 * but the key, the ordering clock and the tombstone. Specialized per variant, so building a row
 * costs one call per column and no test of the type.
 */
const getterFor = (path: string, variant: Variant): Getter | undefined => {
  const { type } = variant;
  if (path.startsWith('attributes.')) {
    if (type === deleted) return CLEARED;
    const name = path.slice('attributes.'.length);
    // An attribute the user does not have is written as null, so the row mirrors Cognito.
    return ({ event }) => (event.type === deleted ? null : (event.detail.attributes[name] ?? null));
  }
  // loadUserSyncConfig rejects unknown fields; a map built elsewhere must not write undefined.
  if (!isEventField(path)) throw new TypeError(`column map has an unknown event field "${path}"`);
  if (path === 'sub' || path === 'eventId') return detailField(path);
  if (path === 'occurredAt') return ({ event }) => occurredAtOf(event);
  if (type === deleted) {
    return path === 'deletedAt' ? ({ event }) => occurredAtOf(event) : CLEARED;
  }
  switch (path) {
    case 'deletedAt':
      return undefined;
    case 'userPoolId':
      return detailField(path);
    case 'username':
      return ({ event }) => (event.type === deleted ? null : event.detail.username);
    case 'clientId':
      return type === authenticated || type === signedUp
        ? ({ event }) =>
            event.type === authenticated || event.type === signedUp ? event.detail.clientId : null
        : undefined;
    case 'triggerSource':
      return type === authenticated
        ? ({ event }) => (event.type === authenticated ? event.detail.triggerSource : null)
        : undefined;
    case 'authenticatedAt':
      if (type === authenticated) return ({ event }) => occurredAtOf(event);
      return variant.seen ? ({ seen }) => seen?.authenticatedAt ?? null : undefined;
    case 'enabled':
      // Cognito refuses a disabled user's sign-in: a login says the user is enabled.
      return type === authenticated
        ? () => true
        : ({ event }) =>
            event.type === signedUp || event.type === updated ? event.detail.enabled : null;
    default:
      // status
      if (type === authenticated && !variant.status) return undefined;
      return ({ event }) => (event.type === deleted ? null : (event.detail.status ?? null));
  }
};

/** A compiled row variant: its shape and its getters. */
interface Plan {
  readonly shape: RowShape;
  readonly getters: ReadonlyArray<readonly [string, Getter]>;
}

/** Index of a write's variant in the plan table: type, then its flags. */
const TYPE_SLOTS: Readonly<Record<DetailType, number>> = {
  [authenticated]: 0,
  [signedUp]: 2,
  [updated]: 4,
  [deleted]: 6,
};

/**
 * Resolves a validated event → column map (see `loadUserSyncConfig`, which validates it) into
 * specialized getters and row shapes, so building a row costs one loop and no string parsing
 * per record. A variant (a detail type, with or without a login's status, with or without a
 * riding login) is compiled on first use.
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
  // Every path checked once, at compile time, whatever variants are used later.
  for (const [path] of entries) getterFor(path, { type: authenticated, status: true, seen: false });
  const plans: Plan[] = [];
  const compile = (variant: Variant): Plan => {
    const getters: Array<readonly [string, Getter]> = [];
    for (const [path, column] of entries) {
      const get = getterFor(path, variant);
      if (get !== undefined) getters.push([column, get]);
    }
    const columns = getters.map(([column]) => column);
    const key = `${variant.type}${variant.status ? '+status' : ''}${variant.seen ? '+seen' : ''}`;
    return {
      getters,
      shape: {
        key,
        type: variant.type,
        columns,
        updateColumns: columns.filter((column) => column !== idColumn),
        carriesSeenAt:
          seenAtColumn !== undefined && columns.includes(seenAtColumn) && variant.type !== deleted,
      },
    };
  };
  const planOf = (write: UserWrite): Plan => {
    const { event } = write;
    const status =
      event.type === authenticated && statusMapped && event.detail.status !== undefined;
    const seen = event.type !== authenticated && event.type !== deleted && write.seen !== undefined;
    const slot = TYPE_SLOTS[event.type] + (status || seen ? 1 : 0);
    let plan = plans[slot];
    if (plan === undefined) {
      plan = compile({ type: event.type, status, seen });
      plans[slot] = plan;
    }
    return plan;
  };
  return {
    idColumn,
    eventAtColumn: columnOf('occurredAt'),
    eventIdColumn: columnOf('eventId'),
    deletedAtColumn: columnOf('deletedAt'),
    seenAtColumn,
    columns: entries.map(([, column]) => column),
    toRow(write) {
      const { shape, getters } = planOf(write);
      const row: UserRow = {};
      for (const [column, get] of getters) row[column] = get(write);
      return { shape, row };
    },
  };
};
