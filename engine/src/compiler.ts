/**
 * GraphQL root fields → one parameterised SQL statement each. Every statement returns one row:
 * `result` (the field's JSON as text) and `ok` (false when an insert/update permission check
 * failed, so the executor can roll the transaction back with Hasura's permission-error).
 */
import {
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
} from 'graphql';
import { compileBoolExp, isTrivial } from './boolExp.js';
import type { BoolExp, Catalog, ColumnInfo, TableInfo, TrackedTable } from './catalog.js';
import { quoteIdent } from './database.js';
import { HasuraError } from './errors.js';
import { valuesSql } from './insertValues.js';
import { rolePermissions } from './permissions.js';
import { buildObject, collectFields, type Fragments, rowJsonSql, sqlLiteral } from './selection.js';
import { isSessionVariable, type Session, SqlParams, sessionValue } from './sqlParams.js';

/** One compiled root field. */
export type CompiledField =
  | { kind: 'static'; json: string }
  | {
      kind: 'sql';
      text: string;
      params: unknown[];
      path: string;
      /** Whether `ok` may be false: the statement must then run in a transaction to undo it. */
      checked?: boolean;
      /** Prepare the statement on the connection: Hasura prepares queries, not mutations. */
      prepare: boolean;
    };

/** What a root field is compiled with. */
export interface FieldContext {
  schema: GraphQLSchema;
  catalog: Catalog;
  session: Session;
  fragments: Fragments;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  args: Record<string, unknown>;
  table: TrackedTable;
}

const ORDER: Readonly<Record<string, string>> = {
  asc: 'ASC',
  asc_nulls_first: 'ASC NULLS FIRST',
  asc_nulls_last: 'ASC NULLS LAST',
  desc: 'DESC',
  desc_nulls_first: 'DESC NULLS FIRST',
  desc_nulls_last: 'DESC NULLS LAST',
};

const tableSql = (table: TrackedTable): string =>
  `${quoteIdent(table.physicalSchema)}.${quoteIdent(table.name)}`;

const column = (info: TableInfo, name: string, path: string): ColumnInfo => {
  const found = info.columns.find((c) => c.name === name);
  if (found === undefined)
    throw new HasuraError('validation-failed', `no such column: ${name}`, path);
  return found;
};

const permissionsOf = (ctx: FieldContext) =>
  rolePermissions(ctx.table, ctx.session.role, ctx.session.isAdminSecret);

/** The select filter of the role, compiled over `alias`. */
const selectFilter = (ctx: FieldContext, info: TableInfo, params: SqlParams, alias: string) => {
  const perm = permissionsOf(ctx).select;
  return compileBoolExp(perm?.filter, { table: info, alias, params, session: ctx.session });
};

const orderBySql = (value: unknown, alias: string): string => {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const parts = items.flatMap((item) =>
    Object.entries(item as Record<string, string>).map(
      ([name, direction]) => `${alias}.${quoteIdent(name)} ${ORDER[direction] ?? 'ASC'}`,
    ),
  );
  return parts.length === 0 ? '' : ` ORDER BY ${parts.join(', ')}`;
};

const objectTypeOf = (ctx: FieldContext): GraphQLObjectType => {
  const type = getNamedType(ctx.field.type);
  if (!isObjectType(type)) throw new HasuraError('unexpected', 'not an object field');
  return type;
};

/** `<t>(where, order_by, limit, offset)`. */
export const compileSelect = (ctx: FieldContext): CompiledField => {
  const info = ctx.catalog.tableInfo(ctx.table);
  const params = new SqlParams();
  const path = `$.selectionSet.${ctx.node.name.value}`;
  const filter = selectFilter(ctx, info, params, '"r0"');
  const where = compileBoolExp(ctx.args.where as BoolExp | undefined, {
    table: info,
    alias: '"r0"',
    params,
    path: `${path}.args.where`,
  });
  const permLimit = permissionsOf(ctx).select?.limit;
  const argLimit = typeof ctx.args.limit === 'number' ? ctx.args.limit : undefined;
  const limit =
    permLimit !== undefined && argLimit !== undefined
      ? Math.min(permLimit, argLimit)
      : (permLimit ?? argLimit);
  const offset = typeof ctx.args.offset === 'number' ? ctx.args.offset : undefined;
  const row = rowJsonSql(
    ctx.schema,
    objectTypeOf(ctx),
    ctx.node.selectionSet,
    ctx.fragments,
    '"r"',
    path,
  );
  const text =
    `SELECT coalesce(json_agg(${row}), '[]')::text AS result, true AS ok FROM (` +
    `SELECT * FROM ${tableSql(ctx.table)} AS "r0" WHERE (${filter}) AND (${where})` +
    `${orderBySql(ctx.args.order_by, '"r0"')}` +
    `${limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(limit))}`}` +
    `${offset === undefined ? '' : ` OFFSET ${Math.max(0, Math.trunc(offset))}`}) AS "r"`;
  return { kind: 'sql', text, params: params.values, path, prepare: true };
};

/** `<t>_by_pk(pk columns)`. */
export const compileSelectByPk = (ctx: FieldContext): CompiledField => {
  const info = ctx.catalog.tableInfo(ctx.table);
  const params = new SqlParams();
  const path = `$.selectionSet.${ctx.node.name.value}`;
  const filter = selectFilter(ctx, info, params, '"r"');
  const keys = info.primaryKey.map(
    (name) => `"r".${quoteIdent(name)} = ${params.typed(ctx.args[name], column(info, name, path))}`,
  );
  const row = rowJsonSql(
    ctx.schema,
    objectTypeOf(ctx),
    ctx.node.selectionSet,
    ctx.fragments,
    '"r"',
    path,
  );
  const text =
    `SELECT (SELECT ${row} FROM ${tableSql(ctx.table)} AS "r" ` +
    `WHERE ${keys.join(' AND ')} AND (${filter}) LIMIT 1)::text AS result, true AS ok`;
  return { kind: 'sql', text, params: params.values, path, prepare: true };
};

/** `insert_<t>(objects, on_conflict)` and `insert_<t>_one(object, on_conflict)`. */
export const compileInsert = (ctx: FieldContext, one: boolean): CompiledField => {
  const info = ctx.catalog.tableInfo(ctx.table);
  const fieldName = ctx.node.name.value;
  const path = `$.selectionSet.${fieldName}.args.${one ? 'object' : 'objects'}`;
  const objects = (one ? [ctx.args.object] : (ctx.args.objects as unknown[])) as Record<
    string,
    unknown
  >[];
  const type = objectTypeOf(ctx);
  if (objects.length === 0) {
    return { kind: 'static', json: staticEmptyResponse(ctx, type) };
  }
  const perms = permissionsOf(ctx);
  const params = new SqlParams();
  const { columns, rows } = valuesSql(
    info,
    objects,
    perms.insert?.set ?? {},
    ctx.session,
    params,
    path,
  );
  let conflict = '';
  const onConflict = ctx.args.on_conflict as
    | { constraint: string; update_columns: string[]; where?: BoolExp | null }
    | undefined;
  if (onConflict !== undefined && onConflict !== null) {
    const target = `ON CONFLICT ON CONSTRAINT ${quoteIdent(onConflict.constraint)}`;
    const updates = onConflict.update_columns.filter((name) => name !== '_PLACEHOLDER');
    if (updates.length === 0) {
      conflict = ` ${target} DO NOTHING`;
    } else {
      const set = updates.map((name) => `${quoteIdent(name)} = EXCLUDED.${quoteIdent(name)}`);
      const opts = { table: info, alias: '"r0"', params, session: ctx.session };
      const filter = compileBoolExp(perms.update?.filter, opts);
      const where = compileBoolExp(onConflict.where ?? undefined, {
        ...opts,
        session: undefined,
      });
      const condition = [filter, where].filter((part) => part !== 'true');
      conflict =
        ` ${target} DO UPDATE SET ${set.join(', ')}` +
        (condition.length === 0 ? '' : ` WHERE ${condition.map((c) => `(${c})`).join(' AND ')}`);
    }
  }
  const checkOpts = { table: info, alias: '"r0"', params, session: ctx.session };
  const insertCheck = perms.insert?.check;
  const updateCheck = perms.update?.check;
  // Checks are evaluated on the returned rows; xmax = 0 tells an inserted row from an updated one.
  const check =
    isTrivial(insertCheck) && isTrivial(updateCheck)
      ? undefined
      : `CASE WHEN "r0".xmax = 0 THEN ${compileBoolExp(insertCheck, checkOpts)} ` +
        `ELSE ${compileBoolExp(updateCheck, checkOpts)} END`;
  return mutationStatement(ctx, info, params, {
    dml: `INSERT INTO ${tableSql(ctx.table)} AS "r0" (${columns}) VALUES ${rows}${conflict}`,
    check,
    one,
    path,
  });
};

/**
 * `update_<t>(where, _set, _inc)` and `update_<t>_by_pk(pk_columns, _set, _inc)`: one
 * `UPDATE … SET` naming only the columns given (and the role's presets), so the table's
 * column-specific triggers see exactly what the client wrote. The role's update filter limits
 * the rows, its check is evaluated on the updated rows, its select filter on those returned.
 */
export const compileUpdate = (ctx: FieldContext, byPk: boolean): CompiledField => {
  const info = ctx.catalog.tableInfo(ctx.table);
  const fieldName = ctx.node.name.value;
  const path = `$.selectionSet.${fieldName}`;
  const type = objectTypeOf(ctx);
  const perms = permissionsOf(ctx);
  const params = new SqlParams();
  const set = (ctx.args._set ?? {}) as Record<string, unknown>;
  const inc = (ctx.args._inc ?? {}) as Record<string, unknown>;
  const preset = perms.update?.set ?? {};
  const duplicates = Object.keys(set).filter((name) => name in inc);
  if (duplicates.length > 0) {
    throw new HasuraError(
      'validation-failed',
      `Column found in multiple operators: ${duplicates.map((name) => `"${name}"`).join(', ')}.`,
      `${path}.args`,
    );
  }
  const assignments: string[] = [];
  for (const [name, value] of Object.entries(preset)) {
    const col = column(info, name, path);
    const resolved = isSessionVariable(value) ? sessionValue(ctx.session, value) : value;
    assignments.push(`${quoteIdent(name)} = ${params.typed(resolved, col)}`);
  }
  for (const [name, value] of Object.entries(set)) {
    const col = column(info, name, `${path}.args._set`);
    assignments.push(`${quoteIdent(name)} = ${params.typed(value, col)}`);
  }
  for (const [name, value] of Object.entries(inc)) {
    const col = column(info, name, `${path}.args._inc`);
    assignments.push(
      `${quoteIdent(name)} = "r0".${quoteIdent(name)} + ${params.typed(value, col)}`,
    );
  }
  if (assignments.length === 0) {
    // Nothing to change: Hasura runs no statement and answers an empty result.
    return { kind: 'static', json: byPk ? 'null' : staticEmptyResponse(ctx, type) };
  }
  const opts = { table: info, alias: '"r0"', params, session: ctx.session };
  const filter = compileBoolExp(perms.update?.filter, opts);
  let target: string;
  if (byPk) {
    const keys = (ctx.args.pk_columns ?? {}) as Record<string, unknown>;
    target = info.primaryKey
      .map(
        (name) =>
          `"r0".${quoteIdent(name)} = ${params.typed(keys[name], column(info, name, path))}`,
      )
      .join(' AND ');
  } else {
    target = compileBoolExp(ctx.args.where as BoolExp | undefined, {
      ...opts,
      session: undefined,
      path: `${path}.args.where`,
    });
  }
  const updateCheck = perms.update?.check;
  const check = isTrivial(updateCheck) ? undefined : compileBoolExp(updateCheck, opts);
  return mutationStatement(ctx, info, params, {
    dml:
      `UPDATE ${tableSql(ctx.table)} AS "r0" SET ${assignments.join(', ')} ` +
      `WHERE (${filter}) AND (${target})`,
    check,
    one: byPk,
    path,
  });
};

/**
 * The statement of an insert or update root field: the DML in a CTE "r" returning its rows (and
 * the role's check per row), then the field's JSON (one row, or `<t>_mutation_response`) filtered
 * by the role's select permission, and whether every check held.
 */
const mutationStatement = (
  ctx: FieldContext,
  info: TableInfo,
  params: SqlParams,
  statement: { dml: string; check: string | undefined; one: boolean; path: string },
): CompiledField => {
  const { dml, check, one, path } = statement;
  const type = objectTypeOf(ctx);
  // Built only when rows are returned: a parameter the statement does not use is an error.
  let cachedFilter: string | undefined;
  const returnedFilter = (): string => {
    if (cachedFilter === undefined) {
      const filter = selectFilter(ctx, info, params, '"r"');
      cachedFilter = filter === 'true' ? '' : ` WHERE ${filter}`;
    }
    return cachedFilter;
  };
  const result = one
    ? `(SELECT ${rowJsonSql(ctx.schema, type, ctx.node.selectionSet, ctx.fragments, '"r"', path)} FROM "r"${returnedFilter()} LIMIT 1)`
    : mutationResponseSql(ctx, type, returnedFilter, path);
  const text =
    `WITH "r" AS (${dml} ` +
    `RETURNING "r0".*${check === undefined ? '' : `, (${check}) AS "__hasura_check"`}) ` +
    `SELECT ${result}::text AS result, ` +
    (check === undefined
      ? 'true AS ok'
      : `(SELECT coalesce(bool_and("__hasura_check"), true) FROM "r") AS ok`);
  return {
    kind: 'sql',
    text,
    params: params.values,
    path,
    checked: check !== undefined,
    prepare: false,
  };
};

/** `json_build_object('affected_rows', …, 'returning', …)` over the CTE "r". */
const mutationResponseSql = (
  ctx: FieldContext,
  type: GraphQLObjectType,
  returnedFilter: () => string,
  path: string,
): string => {
  const pairs: string[] = [];
  for (const { key, node } of collectFields(
    ctx.schema,
    type,
    ctx.node.selectionSet ?? { kind: 'SelectionSet' as never, selections: [] },
    ctx.fragments,
  )) {
    const name = node.name.value;
    if (name === '__typename') pairs.push(`${sqlLiteral(key)}, ${sqlLiteral(type.name)}`);
    else if (name === 'affected_rows') pairs.push(`${sqlLiteral(key)}, (SELECT count(*) FROM "r")`);
    else {
      const rowType = getNamedType(type.getFields().returning?.type);
      if (!isObjectType(rowType)) continue;
      const row = rowJsonSql(ctx.schema, rowType, node.selectionSet, ctx.fragments, '"r"', path);
      pairs.push(
        `${sqlLiteral(key)}, coalesce((SELECT json_agg(${row}) FROM "r"${returnedFilter()}), '[]')`,
      );
    }
  }
  return buildObject(pairs);
};

/** The answer to an insert of no objects: nothing to run. */
const staticEmptyResponse = (ctx: FieldContext, type: GraphQLObjectType): string => {
  const out: Record<string, unknown> = {};
  if (ctx.node.selectionSet === undefined) return 'null';
  for (const { key, node } of collectFields(
    ctx.schema,
    type,
    ctx.node.selectionSet,
    ctx.fragments,
  )) {
    const name = node.name.value;
    out[key] = name === '__typename' ? type.name : name === 'affected_rows' ? 0 : [];
  }
  return JSON.stringify(out);
};
