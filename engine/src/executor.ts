/**
 * Runs one `/v1/graphql` request: parse and validate (cached by query text and role schema),
 * coerce variables, compile every root field to one SQL statement, run them all in order in one
 * transaction and concatenate their JSON. Any error rolls the whole request back.
 */
import {
  type DocumentNode,
  execute,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import type { Catalog } from './catalog.js';
import {
  type CompiledField,
  compileInsert,
  compileSelect,
  compileSelectByPk,
  compileUpdate,
} from './compiler.js';
import type { Database, SqlExecutor } from './database.js';
import { fromPostgresError, HasuraError } from './errors.js';
import { fromValidationError } from './graphqlErrors.js';
import { DEFAULT_SOURCE_SETTINGS, type SourceSettings } from './projectLoader.js';
import type { RootFieldInfo } from './schemaBuilder.js';
import type { SchemaCache } from './schemaCache.js';
import { collectFields, type Fragments } from './selection.js';
import type { Session } from './sqlParams.js';
import { coerceVariables } from './variables.js';

/** A GraphQL request body as Hasura accepts it. */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}

/** A parsed and validated document, cached per role schema and query text. */
interface PreparedDocument {
  document: DocumentNode;
  errors: HasuraError[];
  fragments: Fragments;
}

const MAX_CACHED_DOCUMENTS = 1000;

/** Executes GraphQL requests against the catalog and database. */
export class GraphqlExecutor {
  private readonly prepared = new WeakMap<GraphQLSchema, Map<string, PreparedDocument>>();
  private refreshing: Promise<void> | undefined;

  public constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    private readonly schemas: SchemaCache,
    private readonly source: SourceSettings = DEFAULT_SOURCE_SETTINGS,
  ) {}

  /** Re-reads the catalog after DDL, once for all concurrent requests. */
  private async fresh(): Promise<void> {
    while (this.catalog.isStale()) {
      this.refreshing ??= this.catalog.refresh(this.db).finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
  }

  private prepare(schema: GraphQLSchema, query: string): PreparedDocument {
    let cache = this.prepared.get(schema);
    if (cache === undefined) {
      cache = new Map();
      this.prepared.set(schema, cache);
    }
    const hit = cache.get(query);
    if (hit !== undefined) return hit;
    let prepared: PreparedDocument;
    try {
      const document = parse(query);
      const errors = validate(schema, document).map((error) =>
        fromValidationError(document, error),
      );
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          fragments[definition.name.value] = definition;
        }
      }
      prepared = { document, errors, fragments };
    } catch {
      prepared = {
        document: { kind: Kind.DOCUMENT, definitions: [] },
        errors: [new HasuraError('validation-failed', 'not a valid graphql query', '$.query')],
        fragments: {},
      };
    }
    if (cache.size >= MAX_CACHED_DOCUMENTS) cache.clear();
    cache.set(query, prepared);
    return prepared;
  }

  /** Runs a request for a session; resolves to the JSON text of the response body. */
  public async run(request: GraphqlRequest, session: Session): Promise<string> {
    await this.fresh();
    const schema = this.schemas.forRole(session.role, session.isAdminSecret);
    const prepared = this.prepare(schema, request.query);
    if (prepared.errors.length > 0) throw prepared.errors[0];
    const operation = selectOperation(prepared.document, request.operationName ?? undefined);
    const variables = coerceVariables(schema, operation, request.variables ?? {});
    if (operation.operation === 'subscription') {
      throw new HasuraError(
        'validation-failed',
        'subscriptions are not supported over HTTP, use websockets instead',
        '$',
      );
    }
    const rootType =
      operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    if (rootType === undefined || rootType === null) {
      throw new HasuraError('validation-failed', 'no mutations exist', '$');
    }
    const fields = collectFields(schema, rootType, operation.selectionSet, prepared.fragments);
    if (
      fields.some(
        ({ node }) => node.name.value.startsWith('__') && node.name.value !== '__typename',
      )
    ) {
      return this.introspect(schema, prepared.document, request, variables);
    }
    const compiled: [string, CompiledField][] = fields.map(({ key, node }) => {
      if (node.name.value === '__typename') {
        return [key, { kind: 'static', json: JSON.stringify(rootType.name) }];
      }
      const field = rootType.getFields()[node.name.value];
      const info = field?.extensions.hasura as RootFieldInfo | undefined;
      if (field === undefined || info === undefined) {
        throw new HasuraError(
          'validation-failed',
          `field "${node.name.value}" not found in type: '${rootType.name}'`,
          `$.selectionSet.${node.name.value}`,
        );
      }
      const ctx = {
        schema,
        catalog: this.catalog,
        session,
        fragments: prepared.fragments,
        field,
        node,
        args: getArgumentValues(field, node, variables),
        table: info.table,
      };
      switch (info.kind) {
        case 'select':
          return [key, compileSelect(ctx)];
        case 'select_by_pk':
          return [key, compileSelectByPk(ctx)];
        case 'insert':
          return [key, compileInsert(ctx, false)];
        case 'insert_one':
          return [key, compileInsert(ctx, true)];
        case 'update':
          return [key, compileUpdate(ctx, false)];
        default:
          return [key, compileUpdate(ctx, true)];
      }
    });
    const results = await this.runCompiled(compiled);
    return `{"data":{${results.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}}`;
  }

  private async runCompiled(compiled: [string, CompiledField][]): Promise<[string, string][]> {
    if (compiled.every(([, field]) => field.kind === 'static')) {
      return compiled.map(([key, field]) => [key, field.kind === 'static' ? field.json : 'null']);
    }
    const statements = compiled.filter(([, field]) => field.kind === 'sql');
    // One statement is atomic on its own: skip BEGIN/COMMIT (two round trips on PostgreSQL),
    // unless a permission check decided after it ran may have to undo it.
    const alone =
      statements.length === 1 && !statements.some(([, f]) => f.kind === 'sql' && f.checked);
    const run = <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
      alone ? fn(this.db) : this.db.transaction(fn);
    return run(async (tx) => {
      const out: [string, string][] = [];
      for (const [key, field] of compiled) {
        if (field.kind === 'static') {
          out.push([key, field.json]);
          continue;
        }
        let row: { result: string | null; ok: boolean } | undefined;
        const prepared = field.prepare && this.source.usePreparedStatements;
        try {
          [row] = await tx.query<{ result: string | null; ok: boolean }>(field.text, field.params, {
            prepare: prepared,
          });
        } catch (error) {
          // Hasura's `internal` of an unexpected database error names the statement.
          throw fromPostgresError(error, field.path, {
            text: field.text,
            params: field.params,
            prepared,
          });
        }
        if (row?.ok === false) {
          throw new HasuraError(
            'permission-error',
            'check constraint of an insert/update permission has failed',
            field.path,
          );
        }
        out.push([key, row?.result ?? 'null']);
      }
      return out;
    });
  }

  /** Introspection (`__schema`, `__type`) is answered by graphql-js itself. */
  private async introspect(
    schema: GraphQLSchema,
    document: DocumentNode,
    request: GraphqlRequest,
    variables: Record<string, unknown>,
  ): Promise<string> {
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName: request.operationName ?? undefined,
    });
    return JSON.stringify({ data: result.data ?? null });
  }
}

/** Picks the operation to run, with Hasura's errors for an ambiguous or unknown name. */
const selectOperation = (
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode => {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName !== undefined) {
    const named = operations.find((op) => op.name?.value === operationName);
    if (named === undefined) {
      throw new HasuraError(
        'validation-failed',
        `no such operation found in the document: "${operationName}"`,
        '$',
      );
    }
    return named;
  }
  const [only, ...others] = operations;
  if (only === undefined || others.length > 0) {
    throw new HasuraError(
      'validation-failed',
      'exactly one operation has to be present in the document when operationName is not specified',
      '$',
    );
  }
  return only;
};
