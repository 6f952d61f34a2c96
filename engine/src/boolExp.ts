/**
 * Compiles Hasura boolean expressions (a `where` argument, a permission's filter or check) to
 * SQL over one table alias. Metadata may use the old `$op` spelling and session variables
 * (`X-Hasura-User-Id`) as values; `where` arguments come already validated by the schema.
 */
import type { BoolExp, ColumnInfo, TableInfo } from './catalog.js';
import { quoteIdent } from './database.js';
import { HasuraError } from './errors.js';
import { isSessionVariable, type Session, type SqlParams, sessionValue } from './sqlParams.js';

/** What a boolean expression is compiled against. */
export interface BoolExpContext {
  /** The table's columns. */
  table: TableInfo;
  /** SQL alias (already quoted) the columns are qualified with. */
  alias: string;
  /** Parameters of the statement being built. */
  params: SqlParams;
  /** The session, when values may name session variables (permissions). */
  session?: Session | undefined;
  /** JSON path for errors. @default '$' */
  path?: string | undefined;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  _eq: '=',
  _neq: '<>',
  _gt: '>',
  _gte: '>=',
  _lt: '<',
  _lte: '<=',
  _like: 'LIKE',
  _nlike: 'NOT LIKE',
  _ilike: 'ILIKE',
  _nilike: 'NOT ILIKE',
  _similar: 'SIMILAR TO',
  _nsimilar: 'NOT SIMILAR TO',
  _regex: '~',
  _nregex: '!~',
  _iregex: '~*',
  _niregex: '!~*',
  _contains: '@>',
  _contained_in: '<@',
};

const COLUMN_COMPARISONS: Readonly<Record<string, string>> = {
  _ceq: '=',
  _cneq: '<>',
  _cgt: '>',
  _cgte: '>=',
  _clt: '<',
  _clte: '<=',
};

/** `$eq` (old metadata spelling) → `_eq`. */
const normalize = (key: string): string => (key.startsWith('$') ? `_${key.slice(1)}` : key);

const resolve = (value: unknown, ctx: BoolExpContext): unknown =>
  ctx.session !== undefined && isSessionVariable(value) ? sessionValue(ctx.session, value) : value;

const findColumn = (ctx: BoolExpContext, name: string): ColumnInfo | undefined =>
  ctx.table.columns.find((column) => column.name === name);

const compileOperator = (
  column: ColumnInfo,
  op: string,
  raw: unknown,
  ctx: BoolExpContext,
): string => {
  const target = `${ctx.alias}.${quoteIdent(column.name)}`;
  const value = resolve(raw, ctx);
  const comparison = COMPARISONS[op];
  if (comparison !== undefined) {
    // Hasura v2 ignores a null operand (the comparison is dropped, i.e. true).
    if (value === null || value === undefined) return 'true';
    return `(${target} ${comparison} ${ctx.params.typed(value, column)})`;
  }
  const columnComparison = COLUMN_COMPARISONS[op];
  if (columnComparison !== undefined) {
    const other = typeof value === 'string' ? findColumn(ctx, value) : undefined;
    if (other === undefined) {
      throw new HasuraError('validation-failed', `no such column: "${String(value)}"`, ctx.path);
    }
    return `(${target} ${columnComparison} ${ctx.alias}.${quoteIdent(other.name)})`;
  }
  switch (op) {
    case '_in':
    case '_nin': {
      if (value === null || value === undefined) return 'true';
      const list = ctx.params.typedList(value, column);
      return op === '_in' ? `(${target} = ANY(${list}))` : `(NOT (${target} = ANY(${list})))`;
    }
    case '_is_null':
      if (value === null || value === undefined) return 'true';
      return value === true || value === 'true' ? `(${target} IS NULL)` : `(${target} IS NOT NULL)`;
    case '_has_key':
      return `(${target} ? ${ctx.params.add(String(value))})`;
    case '_has_keys_any':
    case '_has_keys_all': {
      const keys = ctx.params.typedList(value, { udtName: 'text', sqlType: 'pg_catalog.text' });
      return `(${target} ${op === '_has_keys_any' ? '?|' : '?&'} ${keys})`;
    }
    default:
      throw new HasuraError(
        'validation-failed',
        `unsupported operator "${op}" on column "${column.name}"`,
        ctx.path,
      );
  }
};

const compileColumn = (column: ColumnInfo, raw: unknown, ctx: BoolExpContext): string => {
  // Metadata shorthand: `author_id: X-Hasura-User-Id` means `_eq`.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return compileOperator(column, '_eq', raw, ctx);
  }
  const parts = Object.entries(raw).map(([op, value]) =>
    compileOperator(column, normalize(op), value, ctx),
  );
  return parts.length === 0 ? 'true' : `(${parts.join(' AND ')})`;
};

const asList = (value: unknown): BoolExp[] => {
  if (Array.isArray(value)) return value as BoolExp[];
  if (value === null || value === undefined) return [];
  return [value as BoolExp];
};

/**
 * Compiles a boolean expression to an SQL condition (`true` for `{}`).
 *
 * @example
 * compileBoolExp({ id: { _eq: 'X-Hasura-User-Id' } }, { table, alias: '"t"', params, session });
 */
export const compileBoolExp = (exp: BoolExp | null | undefined, ctx: BoolExpContext): string => {
  if (exp === null || exp === undefined) return 'true';
  const parts: string[] = [];
  for (const [rawKey, value] of Object.entries(exp)) {
    const key = normalize(rawKey);
    if (key === '_and' || key === '_or') {
      const items = asList(value).map((item) => compileBoolExp(item, ctx));
      if (items.length === 0) parts.push('true');
      else parts.push(`(${items.join(key === '_and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === '_not') {
      parts.push(`(NOT ${compileBoolExp(value as BoolExp, ctx)})`);
      continue;
    }
    const column = findColumn(ctx, rawKey);
    if (column === undefined) {
      throw new HasuraError(
        'validation-failed',
        `"${rawKey}" is not a column of the table: relationships and computed fields in boolean expressions are not supported by this engine`,
        ctx.path,
      );
    }
    parts.push(compileColumn(column, value, ctx));
  }
  return parts.length === 0 ? 'true' : parts.join(' AND ');
};

/** Whether a boolean expression is empty (`{}`), i.e. always true. */
export const isTrivial = (exp: BoolExp | null | undefined): boolean =>
  exp === null || exp === undefined || Object.keys(exp).length === 0;
