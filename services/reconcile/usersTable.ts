import type { HasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import type { ReconcileColumns, UsersTableRow } from './userState.js';

/** A live row's key and the username AdminGetUser needs to confirm it is orphaned. */
export interface LiveRowKey {
  readonly sub: string;
  readonly username: string | null;
}

/** What reconcile reads of the users table. */
export interface UsersTableReader {
  /** The rows of these subs (live rows and tombstones), by sub. */
  rowsBySub(subs: readonly string[]): Promise<Map<string, UsersTableRow>>;
  /**
   * One keyset page of live rows (`deleted_at` NULL) whose sub starts with `prefix`, in sub
   * order, after `after` (exclusive; `''` for the first page).
   */
  liveRowsPage(prefix: string, after: string, limit: number): Promise<LiveRowKey[]>;
}

/** Options of {@link createUsersTableReader}. */
export interface UsersTableReaderOptions {
  /**
   * The tracked table's GraphQL name.
   * @default 'users'
   */
  readonly table?: string;
  /** The columns read. */
  readonly columns: ReconcileColumns;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Escapes the `LIKE` wildcards of a sub prefix (subs are UUIDs, but the table is not ours). */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Reads the users table through Hasura with the admin secret: rows by sub, 60 at a time (one
 * ListUsers page), and live rows by keyset pages (`id > $after ORDER BY id`), so no read holds
 * more than one page and no query gets slower as the table grows.
 *
 * @throws {@link TypeError} when the table or a column is not a GraphQL name.
 */
export const createUsersTableReader = (
  hasura: HasuraClient,
  options: UsersTableReaderOptions,
): UsersTableReader => {
  const table = options.table ?? 'users';
  const { columns } = options;
  const selected = [
    columns.id,
    columns.username,
    ...Object.values(columns.attributes),
    columns.enabled,
    columns.status,
    columns.deletedAt,
    columns.lastEventAt,
  ];
  for (const name of [table, ...selected]) {
    if (!GRAPHQL_NAME.test(name)) throw new TypeError(`"${name}" is not a GraphQL name`);
  }
  const fields = [...new Set(selected)].join(' ');
  const bySub = `query ReconcileRows($subs: [String!]!) { rows: ${table}(where: {${columns.id}: {_in: $subs}}) { ${fields} } }`;
  const livePage = `query ReconcileLiveRows($like: String!, $after: String!, $limit: Int!) { rows: ${table}(where: {_and: [{${columns.id}: {_like: $like}}, {${columns.id}: {_gt: $after}}, {${columns.deletedAt}: {_is_null: true}}]}, order_by: {${columns.id}: asc}, limit: $limit) { ${columns.id} ${columns.username} } }`;
  return {
    async rowsBySub(subs) {
      const rows = new Map<string, UsersTableRow>();
      if (subs.length === 0) return rows;
      const data = await hasura.request<{ rows: UsersTableRow[] }>(bySub, { subs });
      for (const row of data.rows) rows.set(String(row[columns.id]), row);
      return rows;
    },
    async liveRowsPage(prefix, after, limit) {
      const data = await hasura.request<{ rows: UsersTableRow[] }>(livePage, {
        like: likePrefix(prefix),
        after,
        limit,
      });
      return data.rows.map((row) => {
        const username = row[columns.username];
        return {
          sub: String(row[columns.id]),
          username: typeof username === 'string' && username !== '' ? username : null,
        };
      });
    },
  };
};
