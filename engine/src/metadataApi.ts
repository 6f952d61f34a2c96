/**
 * The `/v1/query` subset the Hasura test fixtures' setup files use: `bulk`, `run_sql`,
 * `track_table`, `untrack_table`, `create_/drop_{select,insert,update,delete}_permission`,
 * `create_object/array_relationship`, `drop_relationship`, `insert`, `clear_metadata`.
 */
import { type BoolExp, type Catalog, parseTableRef } from './catalog.js';
import { type Database, quoteIdent } from './database.js';
import { fromPostgresError, fromRunSqlError, HasuraError } from './errors.js';
import { ADMIN_ROLE } from './permissions.js';
import { SqlParams } from './sqlParams.js';

type Args = Record<string, unknown>;
const SUCCESS = { message: 'success' };

const columnsOf = (value: unknown): string[] | '*' =>
  Array.isArray(value) ? value.map(String) : '*';

const objectOf = (value: unknown): BoolExp =>
  typeof value === 'object' && value !== null ? (value as BoolExp) : {};

/** Runs `/v1/query` requests against the catalog (metadata) and the database. */
export class MetadataApi {
  public constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
  ) {}

  /** Runs one query (a `bulk` runs its items in order and stops at the first error). */
  public async run(body: unknown, path = '$'): Promise<unknown> {
    if (typeof body !== 'object' || body === null) {
      throw new HasuraError('parse-failed', 'expected an object with "type" and "args"', path);
    }
    const { type: rawType, args } = body as { type?: unknown; args?: unknown };
    if (typeof rawType !== 'string') {
      throw new HasuraError('parse-failed', 'key "type" not found', path);
    }
    // `/v1/metadata` names Postgres operations `pg_<type>`; `/v1/query` names them `<type>`.
    const type = rawType.startsWith('pg_') ? rawType.slice(3) : rawType;
    const argsPath = `${path}.args`;
    if (type === 'bulk') {
      const items = Array.isArray(args) ? args : [];
      const results: unknown[] = [];
      for (const [index, item] of items.entries()) {
        results.push(await this.run(item, `${argsPath}[${index}]`));
      }
      return results;
    }
    const a = objectOf(args) as Args;
    switch (type) {
      case 'run_sql':
        return this.runSql(a, argsPath);
      case 'track_table':
        return this.trackTable(a, argsPath);
      case 'untrack_table': {
        const ref = parseTableRef(a.table ?? a, argsPath);
        this.catalog.get(ref.schema, ref.name, argsPath);
        this.catalog.untrack(ref.schema, ref.name);
        return SUCCESS;
      }
      case 'create_select_permission':
      case 'create_insert_permission':
      case 'create_update_permission':
      case 'create_delete_permission':
        return this.createPermission(type.split('_')[1] ?? '', a, argsPath);
      case 'drop_select_permission':
      case 'drop_insert_permission':
      case 'drop_update_permission':
      case 'drop_delete_permission':
        return this.dropPermission(type.split('_')[1] ?? '', a, argsPath);
      case 'create_object_relationship':
      case 'create_array_relationship': {
        const ref = parseTableRef(a.table, `${argsPath}.table`);
        this.catalog.get(ref.schema, ref.name, argsPath).relationships.add(String(a.name));
        return SUCCESS;
      }
      case 'drop_relationship': {
        const ref = parseTableRef(a.table, `${argsPath}.table`);
        this.catalog
          .get(ref.schema, ref.name, argsPath)
          .relationships.delete(String(a.relationship));
        return SUCCESS;
      }
      case 'insert':
        return this.insert(a, argsPath);
      case 'clear_metadata':
        for (const table of this.catalog.trackedTables())
          this.catalog.untrack(table.schema, table.name);
        return SUCCESS;
      case 'reload_metadata':
        this.catalog.invalidate();
        return SUCCESS;
      default:
        throw new HasuraError(
          'not-supported',
          `query type "${type}" is not supported by this engine`,
          `${path}.type`,
        );
    }
  }

  private async runSql(args: Args, path: string): Promise<unknown> {
    if (typeof args.sql !== 'string')
      throw new HasuraError('parse-failed', 'key "sql" not found', path);
    let result: Awaited<ReturnType<Database['runSql']>>;
    try {
      result = await this.db.runSql(args.sql);
    } catch (error) {
      throw fromRunSqlError(error, path);
    } finally {
      // DDL may have changed tracked tables: re-read the catalog and drop metadata of tables
      // that no longer exist, as Hasura does after run_sql.
      this.catalog.invalidate();
      await this.catalog.refresh(this.db);
      for (const table of this.catalog.trackedTables()) {
        if (!(await this.catalog.exists(this.db, table.schema, table.name))) {
          this.catalog.untrack(table.schema, table.name);
        }
      }
    }
    if (result.fields.length === 0) return { result_type: 'CommandOk', result: null };
    return { result_type: 'TuplesOk', result: [result.fields, ...result.rows] };
  }

  private async trackTable(args: Args, path: string): Promise<unknown> {
    const ref = parseTableRef(args.table ?? args, path);
    if (!(await this.catalog.exists(this.db, ref.schema, ref.name))) {
      throw new HasuraError(
        'not-exists',
        `no such table/view exists in source: "${ref.name}"`,
        path,
      );
    }
    this.catalog.track(ref.schema, ref.name, path);
    return SUCCESS;
  }

  private createPermission(kind: string, args: Args, path: string): unknown {
    const ref = parseTableRef(args.table, `${path}.table`);
    const table = this.catalog.get(ref.schema, ref.name, `${path}.table`);
    const role = String(args.role);
    if (role === ADMIN_ROLE) {
      throw new HasuraError(
        'constraint-violation',
        `cannot define permission for admin role`,
        path,
      );
    }
    const p = objectOf(args.permission) as Args;
    const set = objectOf(p.set) as Record<string, unknown>;
    const exists = (map: Map<string, unknown>) => {
      if (map.has(role)) {
        throw new HasuraError(
          'already-exists',
          `${kind} permission already defined on table "${ref.name}" with role "${role}"`,
          path,
        );
      }
    };
    if (kind === 'select') {
      exists(table.select);
      const limit = typeof p.limit === 'number' ? p.limit : undefined;
      table.select.set(role, { columns: columnsOf(p.columns), filter: objectOf(p.filter), limit });
    } else if (kind === 'insert') {
      exists(table.insert);
      table.insert.set(role, {
        columns: columnsOf(p.columns),
        check: objectOf(p.check),
        set,
        backendOnly: p.backend_only === true,
      });
    } else if (kind === 'update') {
      exists(table.update);
      table.update.set(role, {
        columns: columnsOf(p.columns),
        filter: objectOf(p.filter),
        check: p.check === undefined ? undefined : objectOf(p.check),
        set,
      });
    }
    // Delete permissions are accepted for setup compatibility; there is no delete mutation.
    this.catalog.touch();
    return SUCCESS;
  }

  private dropPermission(kind: string, args: Args, path: string): unknown {
    const ref = parseTableRef(args.table, `${path}.table`);
    const table = this.catalog.get(ref.schema, ref.name, `${path}.table`);
    const role = String(args.role);
    if (kind === 'select') table.select.delete(role);
    if (kind === 'insert') table.insert.delete(role);
    if (kind === 'update') table.update.delete(role);
    this.catalog.touch();
    return SUCCESS;
  }

  private async insert(args: Args, path: string): Promise<unknown> {
    const ref = parseTableRef(args.table, `${path}.table`);
    const table = this.catalog.get(ref.schema, ref.name, `${path}.table`);
    if (this.catalog.isStale()) await this.catalog.refresh(this.db);
    const info = this.catalog.tableInfo(table);
    const objects = (Array.isArray(args.objects) ? args.objects : []) as Args[];
    if (objects.length === 0) return { affected_rows: 0 };
    const names = [...new Set(objects.flatMap((object) => Object.keys(object)))];
    const first = info.columns[0];
    if (names.length === 0 && first !== undefined) names.push(first.name);
    const params = new SqlParams();
    const rows = objects.map((object) => {
      const cells = names.map((name) => {
        const column = info.columns.find((c) => c.name === name);
        if (column === undefined) {
          throw new HasuraError('not-exists', `column "${name}" does not exist`, `${path}.objects`);
        }
        return name in object ? params.typed(object[name], column) : 'DEFAULT';
      });
      return `(${cells.join(', ')})`;
    });
    const text =
      `INSERT INTO ${quoteIdent(table.physicalSchema)}.${quoteIdent(table.name)} ` +
      `(${names.map(quoteIdent).join(', ')}) VALUES ${rows.join(', ')}`;
    try {
      await this.db.query(text, params.values);
    } catch (error) {
      throw fromPostgresError(error, path);
    }
    return { affected_rows: objects.length };
  }
}
