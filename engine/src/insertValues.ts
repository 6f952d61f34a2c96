/**
 * The VALUES list of an insert: one row per object, the union of their columns, DEFAULT where
 * an object leaves a column out, and the role's presets (`set`) in every row.
 */
import type { TableInfo } from './catalog.js';
import { quoteIdent } from './database.js';
import { HasuraError } from './errors.js';
import {
  encodeValue,
  isSessionVariable,
  type Session,
  type SqlParams,
  sessionValue,
} from './sqlParams.js';

const column = (info: TableInfo, name: string, path: string) => {
  const found = info.columns.find((c) => c.name === name);
  if (found === undefined)
    throw new HasuraError('validation-failed', `no such column: ${name}`, path);
  return found;
};

/** A preset value: a session variable's value or the literal from metadata. */
const presetValue = (session: Session, value: unknown): unknown =>
  isSessionVariable(value) ? sessionValue(session, value) : value;

/**
 * `(columns)` and `VALUES (…), (…)` of an insert.
 *
 * @example
 * valuesSql(info, [{ id: 'a' }], {}, session, params, '$.selectionSet.insert_users.args.objects')
 */
export const valuesSql = (
  info: TableInfo,
  objects: readonly Record<string, unknown>[],
  preset: Record<string, unknown>,
  session: Session,
  params: SqlParams,
  path: string,
): { columns: string; rows: string } => {
  const names: string[] = [];
  for (const object of objects) {
    for (const name of Object.keys(object)) if (!names.includes(name)) names.push(name);
  }
  for (const name of Object.keys(preset)) if (!names.includes(name)) names.push(name);
  // `objects: [{}]`: rows of defaults only, written as DEFAULT in the first column.
  const first = info.columns[0];
  if (names.length === 0 && first !== undefined) names.push(first.name);
  const columns = names.map((name) => column(info, name, path));
  const presetSql = new Map<string, string>();
  for (const [name, value] of Object.entries(preset)) {
    const col = column(info, name, path);
    // `NOW()`-style SQL presets are not supported; values are literals or session variables.
    presetSql.set(name, params.typed(presetValue(session, value), col));
  }
  const rows = objects.map((object) => {
    const cells = columns.map((col) => {
      const fixed = presetSql.get(col.name);
      if (fixed !== undefined) return fixed;
      // No cast: PostgreSQL types an INSERT value from its target column (as for raw SQL),
      // and 500 casts in a 100-row statement cost measurably more to parse.
      return col.name in object ? params.add(encodeValue(object[col.name], col)) : 'DEFAULT';
    });
    return `(${cells.join(', ')})`;
  });
  return { columns: names.map(quoteIdent).join(', '), rows: rows.join(', ') };
};
