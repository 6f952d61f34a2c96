import type { UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import type { HasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import { HasuraRequestError } from '../../shared/hasuraClient/HasuraRequestError.js';
import { type CompiledColumnMap, compileColumnMap, type UserRow } from './columnMap.js';
import type { SyncWriteMode } from './config.js';

/** What one upsert request achieved. */
export interface UpsertResult {
  /** Rows inserted or updated. */
  readonly written: number;
  /** Rows left as they were because the stored event is newer or the same (newest wins). */
  readonly skipped: number;
}

/** Writes the rows of a set of events (one per user) in ONE Hasura request. */
export interface UserUpsert {
  /** The write mechanism in use. */
  readonly mode: SyncWriteMode;
  /**
   * Upserts the row of each event (built with the column map) in one request (one transaction
   * in Hasura: all or nothing).
   *
   * @param events - one event per user.
   * @param timeoutMs - the time left for this request; the client caps it at its own timeout.
   * @throws {@link HasuraRequestError} classified; `invalid-response` when the answer lacks
   *   the requested fields.
   */
  write(events: readonly UserAuthenticatedV1[], timeoutMs: number): Promise<UpsertResult>;
}

/** Upserts rows already built from the column map. */
type RowWriter = (rows: readonly UserRow[], timeoutMs: number) => Promise<UpsertResult>;

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
}

const invalidAnswer = (what: string): HasuraRequestError =>
  new HasuraRequestError('other', 'invalid-response', `Hasura answered without ${what}`);

/** What a writer of either mode is built from. */
interface WriterOptions {
  readonly client: HasuraClient;
  readonly table: string;
  readonly constraint: string;
  readonly columns: CompiledColumnMap;
}

/** `guard` mode: one multi-row insert; the DB trigger drops older events. */
const guardUpsert = (options: WriterOptions): RowWriter => {
  const { client, table, constraint, columns } = options;
  const field = `insert_${table}`;
  // `affected_rows`, not `returning`: the count is all the consumer needs, and Hasura then
  // neither builds nor sends a JSON row per user.
  const document = `mutation SyncUsers($objects: [${table}_insert_input!]!) {
  ${field}(objects: $objects, on_conflict: {constraint: ${constraint}, update_columns: [${columns.updateColumns.join(', ')}]}) {
    affected_rows
  }
}`;
  return async (rows, timeoutMs) => {
    const data = await client.request<Record<string, { affected_rows?: unknown } | null>>(
      document,
      { objects: rows },
      { timeoutMs },
    );
    const affected = data?.[field]?.affected_rows;
    if (typeof affected !== 'number' || !Number.isInteger(affected)) {
      throw invalidAnswer(`${field}.affected_rows`);
    }
    if (affected < 0 || affected > rows.length) {
      throw invalidAnswer(
        `a plausible ${field}.affected_rows (${affected} for ${rows.length} rows)`,
      );
    }
    // The trigger returns NULL for stale rows: they are neither written nor counted.
    return { written: affected, skipped: rows.length - affected };
  };
};

/** `where` mode: aliased `insert_<table>_one` per row, each with its own conflict filter. */
const whereUpsert = (options: WriterOptions): RowWriter => {
  const { client, table, constraint, columns } = options;
  const updateColumns = columns.updateColumns.join(', ');
  // One document per batch size, built once: large batches reuse the same string.
  const documents = new Map<number, string>();
  const documentFor = (size: number): string => {
    let document = documents.get(size);
    if (document === undefined) {
      const declarations: string[] = [];
      const fields: string[] = [];
      for (let index = 0; index < size; index += 1) {
        declarations.push(`$o${index}: ${table}_insert_input!, $w${index}: ${table}_bool_exp!`);
        fields.push(
          `  u${index}: insert_${table}_one(object: $o${index}, on_conflict: {constraint: ${constraint}, update_columns: [${updateColumns}], where: $w${index}}) { ${columns.idColumn} }`,
        );
      }
      document = `mutation SyncUsersWhere(${declarations.join(', ')}) {\n${fields.join('\n')}\n}`;
      documents.set(size, document);
    }
    return document;
  };
  const { seenAtColumn, eventIdColumn } = columns;
  return async (rows, timeoutMs) => {
    const variables: Record<string, unknown> = {};
    rows.forEach((row, index) => {
      const seenAt = row[seenAtColumn];
      const eventId = row[eventIdColumn];
      variables[`o${index}`] = row;
      // Update only when the stored event is older: (stored) < (event), lexicographically. A
      // row without a stored event (NULL, e.g. an adopted table whose columns were added
      // later, nullable) takes any event: `_lt` is never true against NULL.
      variables[`w${index}`] = {
        _or: [
          { [seenAtColumn]: { _is_null: true } },
          { [seenAtColumn]: { _lt: seenAt } },
          {
            _and: [
              { [seenAtColumn]: { _eq: seenAt } },
              {
                _or: [
                  { [eventIdColumn]: { _is_null: true } },
                  { [eventIdColumn]: { _lt: eventId } },
                ],
              },
            ],
          },
        ],
      };
    });
    const data = await client.request<Record<string, unknown>>(
      documentFor(rows.length),
      variables,
      {
        timeoutMs,
      },
    );
    if (data === null || typeof data !== 'object') throw invalidAnswer('data');
    let written = 0;
    for (let index = 0; index < rows.length; index += 1) {
      const key = `u${index}`;
      if (!(key in data)) throw invalidAnswer(key);
      // insert_one answers null when the conflict filter kept the stored (newer) row.
      if (data[key] !== null) written += 1;
    }
    return { written, skipped: rows.length - written };
  };
};

/**
 * Builds the writer of the configured mechanism, the one user of the column map: it compiles
 * the map once and turns each event into its row. Documents are built once (per batch size in
 * `where` mode) at cold start, so a batch costs one `JSON.stringify` and one request.
 *
 * @example
 * const upsert = createUserUpsert({ client, table: 'users', constraint: 'users_pkey', columnMap: DEFAULT_COLUMN_MAP, mode: 'guard' });
 * const { written, skipped } = await upsert.write(events, 5000);
 */
export const createUserUpsert = (options: UserUpsertOptions): UserUpsert => {
  const { client, table, constraint, mode } = options;
  const columns = compileColumnMap(options.columnMap);
  const writerOptions = { client, table, constraint, columns };
  const writeRows = mode === 'guard' ? guardUpsert(writerOptions) : whereUpsert(writerOptions);
  return {
    mode,
    write: (events, timeoutMs) =>
      writeRows(
        events.map((event) => columns.toRow(event)),
        timeoutMs,
      ),
  };
};
