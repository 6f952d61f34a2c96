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
] as const;

/** Event fields every column map must map: the key and the two "newest wins" columns. */
export const REQUIRED_EVENT_FIELDS = ['sub', 'authenticatedAt', 'eventId'] as const;

/** The default event → column map; matches the `users` table of the `hasura/` project. */
export const DEFAULT_COLUMN_MAP: Readonly<Record<string, string>> = {
  sub: 'id',
  username: 'username',
  'attributes.email': 'email',
  authenticatedAt: 'last_seen_at',
  eventId: 'last_event_id',
};

/** A value written to a column: event values are strings; an absent attribute is `null`. */
export type ColumnValue = string | null;

/** A row of the users table, ready for `users_insert_input`. */
export type UserRow = Record<string, ColumnValue>;

/** A column map resolved once at cold start. */
export interface CompiledColumnMap {
  /** Column holding `sub` (the primary key). */
  readonly idColumn: string;
  /** Column holding `authenticatedAt`. */
  readonly seenAtColumn: string;
  /** Column holding `eventId` (the tie-break). */
  readonly eventIdColumn: string;
  /** Every mapped column, in map order. */
  readonly columns: readonly string[];
  /** Columns an upsert overwrites: all but the primary key. */
  readonly updateColumns: readonly string[];
  /** Builds the row of one event. */
  toRow(detail: UserAuthenticatedV1): UserRow;
}

type Getter = (detail: UserAuthenticatedV1) => ColumnValue;

type EventField = (typeof EVENT_FIELDS)[number];

const isEventField = (path: string): path is EventField =>
  (EVENT_FIELDS as readonly string[]).includes(path);

const getterFor = (path: string): Getter => {
  if (path.startsWith('attributes.')) {
    const name = path.slice('attributes.'.length);
    // An attribute the user does not have is written as null, so the row mirrors Cognito.
    return (detail) => detail.attributes[name] ?? null;
  }
  // loadUserSyncConfig rejects unknown fields; a map built elsewhere must not write undefined.
  if (!isEventField(path)) throw new TypeError(`column map has an unknown event field "${path}"`);
  return (detail) => detail[path];
};

/**
 * Resolves a validated event → column map (see `loadUserSyncConfig`, which validates it) into
 * getters, so building a row costs one loop and no string parsing per record.
 */
export const compileColumnMap = (map: Readonly<Record<string, string>>): CompiledColumnMap => {
  const entries = Object.entries(map);
  const columnOf = (field: string): string => {
    const column = map[field];
    if (column === undefined) throw new TypeError(`column map has no entry for "${field}"`);
    return column;
  };
  const idColumn = columnOf('sub');
  const getters: Array<readonly [string, Getter]> = entries.map(
    ([path, column]) => [column, getterFor(path)] as const,
  );
  return {
    idColumn,
    seenAtColumn: columnOf('authenticatedAt'),
    eventIdColumn: columnOf('eventId'),
    columns: entries.map(([, column]) => column),
    updateColumns: entries.map(([, column]) => column).filter((column) => column !== idColumn),
    toRow(detail) {
      const row: UserRow = {};
      for (const [column, get] of getters) row[column] = get(detail);
      return row;
    },
  };
};
