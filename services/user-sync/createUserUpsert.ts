import { DETAIL_TYPES, type DetailType } from '../../shared/events/syncEvent.js';
import type { HasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import { HasuraRequestError } from '../../shared/hasuraClient/HasuraRequestError.js';
import {
  type CompiledColumnMap,
  compileColumnMap,
  type RowShape,
  type UserRow,
  type UserWrite,
} from './columnMap.js';
import type { SyncDeleteMode, SyncWriteMode } from './config.js';

/** Rows written and skipped, for one detail type or in total. */
export interface WriteCounts {
  /** Rows inserted or updated (for `UserDeleted`: users tombstoned). */
  written: number;
  /** Rows left as they were: the stored event is newer or the same, or the user is deleted. */
  skipped: number;
}

/** What one upsert request achieved. */
export interface UpsertResult extends Readonly<WriteCounts> {
  /** The same counts per detail type of the written events (a riding login counts with its row). */
  readonly byType: ReadonlyMap<DetailType, WriteCounts>;
}

/** Writes the rows of a set of users (one write per user) in ONE Hasura request. */
export interface UserUpsert {
  /** The write mechanism in use. */
  readonly mode: SyncWriteMode;
  /**
   * Upserts the row of each write (built with the column map) in one request (one transaction
   * in Hasura: all or nothing).
   *
   * @param writes - one write per user.
   * @param timeoutMs - the time left for this request; the client caps it at its own timeout.
   * @throws {@link HasuraRequestError} classified; `invalid-response` when the answer lacks
   *   the requested fields.
   */
  write(writes: readonly UserWrite[], timeoutMs: number): Promise<UpsertResult>;
}

/** Options of {@link createUserUpsert}. */
export interface UserUpsertOptions {
  /** The container's Hasura client. */
  readonly client: HasuraClient;
  /** GraphQL name of the table (`insert_<table>`). */
  readonly table: string;
  /** Primary-key constraint for `on_conflict`. */
  readonly constraint: string;
  /** The event → column map (validated by `loadUserSyncConfig`), compiled once here. */
  readonly columnMap: Readonly<Record<string, string>>;
  /** The newest-wins mechanism. */
  readonly mode: SyncWriteMode;
  /**
   * What a deletion does to the row (`hard` needs `guard`; `loadUserSyncConfig` checks it).
   * @default 'soft'
   */
  readonly deleteMode?: SyncDeleteMode;
}

/** The table of hard-deleted subs (`hasura/` migration 1797033600000) and its key. */
export const TOMBSTONES_TABLE = { name: 'user_tombstones', constraint: 'user_tombstones_pkey' };

const invalidAnswer = (what: string): HasuraRequestError =>
  new HasuraRequestError('other', 'invalid-response', `Hasura answered without ${what}`);

/** A row and its shape, ready to be sent. */
interface BuiltRow {
  readonly shape: RowShape;
  readonly row: UserRow;
}

/** Rows written by one request: the rows of a set of writes, one per user. */
type RowWriter = (rows: readonly BuiltRow[], timeoutMs: number) => Promise<UpsertResult>;

/** What a writer of either mode is built from. */
interface WriterOptions {
  readonly client: HasuraClient;
  readonly table: string;
  readonly constraint: string;
  readonly columns: CompiledColumnMap;
  readonly deleteMode: SyncDeleteMode;
}

/** Documents are cached per batch signature; a bound keeps odd batches from piling up. */
const MAX_CACHED_DOCUMENTS = 256;

const cached = (build: (signature: string) => string): ((signature: string) => string) => {
  const documents = new Map<string, string>();
  return (signature) => {
    let document = documents.get(signature);
    if (document === undefined) {
      if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
      document = build(signature);
      documents.set(signature, document);
    }
    return document;
  };
};

/** Adds `written` of `total` rows of `type` to `result`. */
const count = (
  result: { written: number; skipped: number; byType: Map<DetailType, WriteCounts> },
  type: DetailType,
  written: number,
  total: number,
): void => {
  result.written += written;
  result.skipped += total - written;
  const counts = result.byType.get(type);
  if (counts === undefined) result.byType.set(type, { written, skipped: total - written });
  else {
    counts.written += written;
    counts.skipped += total - written;
  }
};

const emptyResult = () => ({ written: 0, skipped: 0, byType: new Map<DetailType, WriteCounts>() });

const affectedRows = (data: Record<string, unknown>, alias: string, rows: number): number => {
  const affected = (data[alias] as { affected_rows?: unknown } | null | undefined)?.affected_rows;
  if (typeof affected !== 'number' || !Number.isInteger(affected)) {
    throw invalidAnswer(`${alias}.affected_rows`);
  }
  if (affected < 0 || affected > rows) {
    throw invalidAnswer(`a plausible ${alias}.affected_rows (${affected} for ${rows} rows)`);
  }
  return affected;
};

/** One aliased multi-row insert field of a guard-mode request. */
interface GuardField {
  readonly alias: string;
  readonly type: DetailType;
  readonly rows: unknown[];
}

/**
 * `guard` mode: one aliased multi-row `insert_<table>` per row shape (logins, sign-ups,
 * updates, deletions, …), each with its own `update_columns`, all in one request (one
 * transaction); the migration's trigger keeps newest wins per register and the tombstones
 * final. In `hard` delete mode, deletions are `insert_user_tombstones` rows instead, whose
 * trigger deletes the user's row.
 */
const guardUpsert = (options: WriterOptions): RowWriter => {
  const { client, table, constraint, columns, deleteMode } = options;
  const hard = deleteMode === 'hard';
  const tombstoneShapeKey = 'tombstone';
  const shapes = new Map<string, RowShape>();
  // `affected_rows`, not `returning`: the count is all the consumer needs, and Hasura then
  // neither builds nor sends a JSON row per user.
  const documentFor = cached((signature) => {
    const declarations: string[] = [];
    const fields: string[] = [];
    signature.split('|').forEach((key, index) => {
      if (key === tombstoneShapeKey) {
        declarations.push(`$r${index}: [${TOMBSTONES_TABLE.name}_insert_input!]!`);
        fields.push(
          `  r${index}: insert_${TOMBSTONES_TABLE.name}(objects: $r${index}, on_conflict: {constraint: ${TOMBSTONES_TABLE.constraint}, update_columns: []}) { affected_rows }`,
        );
        return;
      }
      const shape = shapes.get(key);
      if (shape === undefined) throw new TypeError(`unknown row shape "${key}"`);
      declarations.push(`$r${index}: [${table}_insert_input!]!`);
      fields.push(
        `  r${index}: insert_${table}(objects: $r${index}, on_conflict: {constraint: ${constraint}, update_columns: [${shape.updateColumns.join(', ')}]}) { affected_rows }`,
      );
    });
    return `mutation SyncUsers(${declarations.join(', ')}) {\n${fields.join('\n')}\n}`;
  });
  return async (rows, timeoutMs) => {
    const byShape = new Map<string, GuardField & { key: string }>();
    for (const { shape, row } of rows) {
      const tombstone = hard && shape.type === DETAIL_TYPES.deleted;
      const key = tombstone ? tombstoneShapeKey : shape.key;
      if (!tombstone) shapes.set(key, shape);
      let field = byShape.get(key);
      if (field === undefined) {
        field = { key, alias: '', type: shape.type, rows: [] };
        byShape.set(key, field);
      }
      field.rows.push(
        tombstone ? { id: row[columns.idColumn], deleted_at: row[columns.deletedAtColumn] } : row,
      );
    }
    // The fields' order is the shapes' key order, so equal batches share one document.
    const fields = [...byShape.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const variables: Record<string, unknown> = {};
    fields.forEach((field, index) => {
      variables[`r${index}`] = field.rows;
    });
    const data = await client.request<Record<string, unknown>>(
      documentFor(fields.map((field) => field.key).join('|')),
      variables,
      { timeoutMs },
    );
    if (data === null || typeof data !== 'object') throw invalidAnswer('data');
    const result = emptyResult();
    fields.forEach((field, index) => {
      // The trigger returns NULL for stale rows: they are neither written nor counted.
      count(
        result,
        field.type,
        affectedRows(data, `r${index}`, field.rows.length),
        field.rows.length,
      );
    });
    return result;
  };
};

/**
 * `where` mode: per user, an aliased `insert_<table>_one` whose `on_conflict.where` holds the
 * rules the trigger holds in `guard` mode (a tombstone takes nothing; a live row takes a
 * deletion, or an event newer than its `(last_event_at, last_event_id)`), plus, for a row
 * carrying a sign-in time, an aliased `update_<table>` that raises `last_seen_at` to it when
 * the stored one is older (the login register's max rule, also for a login stale for the
 * profile). No trigger needed; no application-write ordering.
 */
const whereUpsert = (options: WriterOptions): RowWriter => {
  const { client, table, constraint, columns } = options;
  const { idColumn, eventAtColumn, eventIdColumn, deletedAtColumn, seenAtColumn } = columns;
  const shapes = new Map<string, RowShape>();
  const raisesSeen = (shape: RowShape): boolean =>
    shape.carriesSeenAt && seenAtColumn !== undefined;
  const documentFor = cached((signature) => {
    const declarations: string[] = [];
    const fields: string[] = [];
    signature.split('|').forEach((key, index) => {
      const shape = shapes.get(key);
      if (shape === undefined) throw new TypeError(`unknown row shape "${key}"`);
      // A state row's riding login is not the newest event: it reaches last_seen_at only
      // through the raise below, never through the profile's update.
      const updateColumns =
        raisesSeen(shape) && shape.type !== DETAIL_TYPES.authenticated
          ? shape.updateColumns.filter((column) => column !== seenAtColumn)
          : shape.updateColumns;
      declarations.push(`$o${index}: ${table}_insert_input!, $w${index}: ${table}_bool_exp!`);
      fields.push(
        `  u${index}: insert_${table}_one(object: $o${index}, on_conflict: {constraint: ${constraint}, update_columns: [${updateColumns.join(', ')}], where: $w${index}}) { ${idColumn} }`,
      );
      if (raisesSeen(shape)) {
        declarations.push(`$s${index}: ${table}_bool_exp!, $v${index}: ${table}_set_input!`);
        fields.push(
          `  s${index}: update_${table}(where: $s${index}, _set: $v${index}) { affected_rows }`,
        );
      }
    });
    return `mutation SyncUsersWhere(${declarations.join(', ')}) {\n${fields.join('\n')}\n}`;
  });
  const live = { [deletedAtColumn]: { _is_null: true } };
  return async (rows, timeoutMs) => {
    const variables: Record<string, unknown> = {};
    const keys: string[] = [];
    rows.forEach(({ shape, row }, index) => {
      shapes.set(shape.key, shape);
      keys.push(shape.key);
      variables[`o${index}`] = row;
      if (shape.type === DETAIL_TYPES.deleted) {
        // A deletion is final: it takes any live row, and a tombstone takes nothing.
        variables[`w${index}`] = live;
        return;
      }
      const at = row[eventAtColumn];
      const eventId = row[eventIdColumn];
      // Update only a live row whose stored event is older: (stored) < (event). A row without
      // a stored event (NULL, e.g. an adopted table) takes any event: `_lt` is never true
      // against NULL.
      variables[`w${index}`] = {
        _and: [
          live,
          {
            _or: [
              { [eventAtColumn]: { _is_null: true } },
              { [eventAtColumn]: { _lt: at } },
              {
                _and: [
                  { [eventAtColumn]: { _eq: at } },
                  {
                    _or: [
                      { [eventIdColumn]: { _is_null: true } },
                      { [eventIdColumn]: { _lt: eventId } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      };
      if (raisesSeen(shape) && seenAtColumn !== undefined) {
        const seen = row[seenAtColumn];
        variables[`s${index}`] = {
          _and: [
            { [idColumn]: { _eq: row[idColumn] } },
            live,
            { _or: [{ [seenAtColumn]: { _is_null: true } }, { [seenAtColumn]: { _lt: seen } }] },
          ],
        };
        variables[`v${index}`] = { [seenAtColumn]: seen };
      }
    });
    const data = await client.request<Record<string, unknown>>(
      documentFor(keys.join('|')),
      variables,
      { timeoutMs },
    );
    if (data === null || typeof data !== 'object') throw invalidAnswer('data');
    const result = emptyResult();
    rows.forEach(({ shape }, index) => {
      const key = `u${index}`;
      if (!(key in data)) throw invalidAnswer(key);
      // insert_one answers null when the conflict filter kept the stored row.
      let written = data[key] !== null;
      if (raisesSeen(shape) && affectedRows(data, `s${index}`, 1) > 0) written = true;
      count(result, shape.type, written ? 1 : 0, 1);
    });
    return result;
  };
};

/**
 * Builds the writer of the configured mechanism, the one user of the column map: it compiles
 * the map once and turns each user's write into its row. Documents are built once per batch
 * signature (the row shapes it holds) and cached, so a batch costs one `JSON.stringify` and one
 * request; a batch of logins only is one multi-row insert, as before the lifecycle events.
 *
 * @example
 * const upsert = createUserUpsert({ client, table: 'users', constraint: 'users_pkey', columnMap: DEFAULT_COLUMN_MAP, mode: 'guard' });
 * const { written, skipped } = await upsert.write([{ event }], 5000);
 */
export const createUserUpsert = (options: UserUpsertOptions): UserUpsert => {
  const { client, table, constraint, mode } = options;
  const columns = compileColumnMap(options.columnMap);
  const writerOptions = {
    client,
    table,
    constraint,
    columns,
    deleteMode: options.deleteMode ?? 'soft',
  };
  const writeRows = mode === 'guard' ? guardUpsert(writerOptions) : whereUpsert(writerOptions);
  return {
    mode,
    write: (writes, timeoutMs) =>
      writeRows(
        writes.map((write) => columns.toRow(write)),
        timeoutMs,
      ),
  };
};
