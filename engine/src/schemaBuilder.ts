/**
 * Builds the GraphQL schema a role sees (graphql-js), from the tracked tables, the catalog and
 * the role's permissions, with Hasura's type and field names: `users`, `users_by_pk`,
 * `insert_users`, `insert_users_one`, `update_users`, `update_users_by_pk`, `users_bool_exp`,
 * `users_on_conflict`, `users_constraint`, `users_set_input`, `users_inc_input`,
 * `users_pk_columns_input`…
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  valueFromASTUntyped,
} from 'graphql';
import type { Catalog, ColumnInfo, TableInfo, TrackedTable } from './catalog.js';
import { columnsAllowed, type RolePermissions, rolePermissions } from './permissions.js';

/** What a root field does, attached to the field config as `extensions.hasura`. */
export interface RootFieldInfo {
  kind: 'select' | 'select_by_pk' | 'insert' | 'insert_one' | 'update' | 'update_by_pk';
  table: TrackedTable;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Postgres type name → Hasura's GraphQL scalar name. */
const SCALAR_NAMES: Readonly<Record<string, string>> = {
  int4: 'Int',
  int2: 'smallint',
  int8: 'bigint',
  text: 'String',
  varchar: 'String',
  bool: 'Boolean',
  float8: 'float8',
  float4: 'float4',
  bpchar: 'bpchar',
};

/** Column types `_inc` applies to (Hasura's numeric columns). */
const NUMERIC_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'money']);

const STRING_OPERATORS = ['_like', '_nlike', '_ilike', '_nilike', '_similar', '_nsimilar'];
const REGEX_OPERATORS = ['_regex', '_nregex', '_iregex', '_niregex'];

/** A schema builder for one catalog version; shared scalar and comparison types are reused. */
export class SchemaFactory {
  private readonly scalars = new Map<string, GraphQLScalarType>([
    ['Int', GraphQLInt],
    ['String', GraphQLString],
    ['Boolean', GraphQLBoolean],
    ['Float', GraphQLFloat],
  ]);
  private readonly comparisons = new Map<string, GraphQLInputObjectType>();
  private readonly orderBy = new GraphQLEnumType({
    name: 'order_by',
    values: Object.fromEntries(
      [
        'asc',
        'asc_nulls_first',
        'asc_nulls_last',
        'desc',
        'desc_nulls_first',
        'desc_nulls_last',
      ].map((value) => [value, { value }]),
    ),
  });

  public constructor(private readonly catalog: Catalog) {}

  /** The GraphQL scalar of a column's type. */
  public scalar(column: ColumnInfo): GraphQLScalarType | undefined {
    const name = SCALAR_NAMES[column.udtName] ?? column.udtName;
    if (!GRAPHQL_NAME.test(name)) return undefined;
    let scalar = this.scalars.get(name);
    if (scalar === undefined) {
      // Values reach PostgreSQL as text with a cast: the database validates them, as in Hasura.
      scalar = new GraphQLScalarType({
        name,
        serialize: (value) => value,
        parseValue: (value) => value,
        parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
      });
      this.scalars.set(name, scalar);
    }
    return scalar;
  }

  private comparison(scalar: GraphQLScalarType): GraphQLInputObjectType {
    const existing = this.comparisons.get(scalar.name);
    if (existing !== undefined) return existing;
    const list = new GraphQLList(new GraphQLNonNull(scalar));
    const fields: GraphQLInputFieldConfigMap = {};
    for (const op of ['_eq', '_neq', '_gt', '_gte', '_lt', '_lte']) fields[op] = { type: scalar };
    fields._in = { type: list };
    fields._nin = { type: list };
    fields._is_null = { type: GraphQLBoolean };
    if (scalar.name === 'String' || scalar.name === 'bpchar') {
      for (const op of [...STRING_OPERATORS, ...REGEX_OPERATORS]) fields[op] = { type: scalar };
    }
    if (scalar.name === 'jsonb') {
      fields._contains = { type: scalar };
      fields._contained_in = { type: scalar };
      fields._has_key = { type: GraphQLString };
      fields._has_keys_any = { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) };
      fields._has_keys_all = { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) };
    }
    const type = new GraphQLInputObjectType({ name: `${scalar.name}_comparison_exp`, fields });
    this.comparisons.set(scalar.name, type);
    return type;
  }

  /** Builds the schema of `role` (`admin` sees every table, column and constraint). */
  public build(role: string, isAdminSecret: boolean): GraphQLSchema {
    const query: GraphQLFieldConfigMap<unknown, unknown> = {};
    const mutation: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const table of this.catalog.trackedTables()) {
      if (!GRAPHQL_NAME.test(table.graphqlName)) continue;
      const info = this.catalog.tableInfo(table);
      this.addTable(table, info, rolePermissions(table, role, isAdminSecret), query, mutation);
    }
    if (Object.keys(query).length === 0) {
      query.no_queries_available = { type: new GraphQLNonNull(GraphQLString) };
    }
    return new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'query_root', fields: query }),
      ...(Object.keys(mutation).length > 0
        ? { mutation: new GraphQLObjectType({ name: 'mutation_root', fields: mutation }) }
        : {}),
    });
  }

  private typedColumns(info: TableInfo, allowed: (name: string) => boolean) {
    return info.columns.flatMap((column) => {
      const scalar = this.scalar(column);
      return scalar !== undefined && GRAPHQL_NAME.test(column.name) && allowed(column.name)
        ? [{ column, scalar }]
        : [];
    });
  }

  private addTable(
    table: TrackedTable,
    info: TableInfo,
    perms: RolePermissions,
    query: GraphQLFieldConfigMap<unknown, unknown>,
    mutation: GraphQLFieldConfigMap<unknown, unknown>,
  ): void {
    const name = table.graphqlName;
    let objectType: GraphQLObjectType | undefined;
    let boolExp: GraphQLInputObjectType | undefined;
    if (perms.select !== undefined) {
      const selectable = this.typedColumns(info, (c) => columnsAllowed(perms.select, c));
      objectType = new GraphQLObjectType({
        name,
        fields: Object.fromEntries(
          selectable.map(({ column, scalar }) => [
            column.name,
            { type: column.nullable ? scalar : new GraphQLNonNull(scalar) },
          ]),
        ),
      });
      boolExp = this.boolExpType(name, selectable);
      const orderBy = new GraphQLInputObjectType({
        name: `${name}_order_by`,
        fields: Object.fromEntries(
          selectable.map(({ column }) => [column.name, { type: this.orderBy }]),
        ),
      });
      const list = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(objectType)));
      query[name] = {
        type: list,
        args: {
          where: { type: boolExp },
          order_by: { type: new GraphQLList(new GraphQLNonNull(orderBy)) },
          limit: { type: GraphQLInt },
          offset: { type: GraphQLInt },
        },
        extensions: { hasura: { kind: 'select', table } satisfies RootFieldInfo },
      };
      const pk = info.primaryKey;
      if (pk.length > 0 && pk.every((c) => selectable.some((s) => s.column.name === c))) {
        query[`${name}_by_pk`] = {
          type: objectType,
          args: Object.fromEntries(
            selectable
              .filter(({ column }) => pk.includes(column.name))
              .map(({ column, scalar }) => [column.name, { type: new GraphQLNonNull(scalar) }]),
          ),
          extensions: { hasura: { kind: 'select_by_pk', table } satisfies RootFieldInfo },
        };
      }
    }
    if (perms.insert === undefined && perms.update === undefined) return;
    const response: GraphQLFieldConfigMap<unknown, unknown> = {
      affected_rows: { type: new GraphQLNonNull(GraphQLInt) },
    };
    if (objectType !== undefined) {
      response.returning = {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(objectType))),
      };
    }
    // One type for inserts and updates alike, as in Hasura.
    const responseType = new GraphQLObjectType({
      name: `${name}_mutation_response`,
      fields: response,
    });
    if (perms.insert !== undefined) {
      this.addInsert(table, info, perms, objectType, boolExp, responseType, mutation);
    }
    if (objectType !== undefined && boolExp !== undefined) {
      this.addUpdate(table, info, perms, objectType, boolExp, responseType, mutation);
    }
  }

  /**
   * `update_<t>(where, _set, _inc)` and `update_<t>_by_pk(pk_columns, _set, _inc)`, for a role
   * with an update permission (and a select permission, which the filter and the returned rows
   * need); only when the role may update some column, and `_by_pk` only with a primary key the
   * role may select.
   */
  private addUpdate(
    table: TrackedTable,
    info: TableInfo,
    perms: RolePermissions,
    objectType: GraphQLObjectType,
    boolExp: GraphQLInputObjectType,
    responseType: GraphQLObjectType,
    mutation: GraphQLFieldConfigMap<unknown, unknown>,
  ): void {
    const permission = perms.update;
    if (permission === undefined) return;
    const name = table.graphqlName;
    const preset = permission.set;
    const updatable = this.typedColumns(
      info,
      (c) => columnsAllowed(permission, c) && !(c in preset),
    );
    if (updatable.length === 0) return;
    const args: GraphQLInputFieldConfigMap = {
      _set: {
        type: new GraphQLInputObjectType({
          name: `${name}_set_input`,
          fields: Object.fromEntries(
            updatable.map(({ column, scalar }) => [column.name, { type: scalar }]),
          ),
        }),
      },
    };
    const numeric = updatable.filter(({ column }) => NUMERIC_TYPES.has(column.udtName));
    if (numeric.length > 0) {
      args._inc = {
        type: new GraphQLInputObjectType({
          name: `${name}_inc_input`,
          fields: Object.fromEntries(
            numeric.map(({ column, scalar }) => [column.name, { type: scalar }]),
          ),
        }),
      };
    }
    mutation[`update_${name}`] = {
      type: responseType,
      args: { ...args, where: { type: new GraphQLNonNull(boolExp) } },
      extensions: { hasura: { kind: 'update', table } satisfies RootFieldInfo },
    };
    const pk = info.primaryKey;
    const keyFields = pk.map((c) => objectType.getFields()[c]);
    if (pk.length === 0 || keyFields.some((field) => field === undefined)) return;
    const pkInput = new GraphQLInputObjectType({
      name: `${name}_pk_columns_input`,
      fields: Object.fromEntries(
        this.typedColumns(info, (c) => pk.includes(c)).map(({ column, scalar }) => [
          column.name,
          { type: new GraphQLNonNull(scalar) },
        ]),
      ),
    });
    mutation[`update_${name}_by_pk`] = {
      type: objectType,
      args: { ...args, pk_columns: { type: new GraphQLNonNull(pkInput) } },
      extensions: { hasura: { kind: 'update_by_pk', table } satisfies RootFieldInfo },
    };
  }

  private addInsert(
    table: TrackedTable,
    info: TableInfo,
    perms: RolePermissions,
    objectType: GraphQLObjectType | undefined,
    boolExp: GraphQLInputObjectType | undefined,
    responseType: GraphQLObjectType,
    mutation: GraphQLFieldConfigMap<unknown, unknown>,
  ): void {
    const name = table.graphqlName;
    const preset = perms.insert?.set ?? {};
    const insertable = this.typedColumns(
      info,
      (c) => columnsAllowed(perms.insert, c) && !(c in preset),
    );
    const input = new GraphQLInputObjectType({
      name: `${name}_insert_input`,
      fields: Object.fromEntries(
        insertable.map(({ column, scalar }) => [column.name, { type: scalar as GraphQLInputType }]),
      ),
    });
    const args: GraphQLInputFieldConfigMap = {};
    const constraints = info.constraints.filter((c) => GRAPHQL_NAME.test(c.name));
    if (perms.update !== undefined && constraints.length > 0) {
      const updatable = this.typedColumns(info, (c) => columnsAllowed(perms.update, c));
      const updateValues =
        updatable.length > 0
          ? updatable.map(({ column }) => [column.name, { value: column.name }])
          : [['_PLACEHOLDER', { value: '_PLACEHOLDER' }]];
      args.on_conflict = {
        type: new GraphQLInputObjectType({
          name: `${name}_on_conflict`,
          fields: {
            constraint: {
              type: new GraphQLNonNull(
                new GraphQLEnumType({
                  name: `${name}_constraint`,
                  values: Object.fromEntries(constraints.map((c) => [c.name, { value: c.name }])),
                }),
              ),
            },
            update_columns: {
              type: new GraphQLNonNull(
                new GraphQLList(
                  new GraphQLNonNull(
                    new GraphQLEnumType({
                      name: `${name}_update_column`,
                      values: Object.fromEntries(updateValues),
                    }),
                  ),
                ),
              ),
              defaultValue: [],
            },
            where: { type: boolExp ?? this.boolExpType(name, updatable) },
          },
        }),
      };
    }
    mutation[`insert_${name}`] = {
      type: responseType,
      args: {
        objects: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(input))) },
        ...args,
      },
      extensions: { hasura: { kind: 'insert', table } satisfies RootFieldInfo },
    };
    if (objectType !== undefined) {
      mutation[`insert_${name}_one`] = {
        type: objectType as GraphQLOutputType,
        args: { object: { type: new GraphQLNonNull(input) }, ...args },
        extensions: { hasura: { kind: 'insert_one', table } satisfies RootFieldInfo },
      };
    }
  }

  /** `<t>_bool_exp` over the given columns. */
  private boolExpType(
    name: string,
    columns: { column: ColumnInfo; scalar: GraphQLScalarType }[],
  ): GraphQLInputObjectType {
    const boolExp: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: `${name}_bool_exp`,
      fields: () => ({
        _and: { type: new GraphQLList(new GraphQLNonNull(boolExp)) },
        _or: { type: new GraphQLList(new GraphQLNonNull(boolExp)) },
        _not: { type: boolExp },
        ...Object.fromEntries(
          columns.map(({ column, scalar }) => [column.name, { type: this.comparison(scalar) }]),
        ),
      }),
    });
    return boolExp;
  }
}
