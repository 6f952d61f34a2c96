/**
 * The engine's metadata (tracked tables, permissions, relationships) and the database catalog
 * it is checked against (columns, types, unique constraints), read from `pg_catalog`.
 */
import type { SqlExecutor } from './database.js';
import { HasuraError } from './errors.js';

/** A boolean expression as written in metadata or in a `where` argument. */
export type BoolExp = Record<string, unknown>;

/** One column of a table, from the catalog. */
export interface ColumnInfo {
  /** Column name. */
  name: string;
  /** The type's name in `pg_type` (`int4`, `text`, `timestamptz`, `_text` for text[]). */
  udtName: string;
  /** The type used in casts, schema-qualified and without modifiers (`pg_catalog.varchar`). */
  sqlType: string;
  /** Whether NULL is allowed. */
  nullable: boolean;
  /** Whether the column has a default (serial, `DEFAULT now()`, identity). */
  hasDefault: boolean;
}

/** A primary key or unique constraint (what `on_conflict.constraint` can name). */
export interface ConstraintInfo {
  /** Constraint name. */
  name: string;
  /** Columns of the constraint, in order. */
  columns: string[];
  /** Whether it is the primary key. */
  primary: boolean;
}

/** A table's shape in the database. */
export interface TableInfo {
  /** Columns in attribute order. */
  columns: ColumnInfo[];
  /** Primary key columns (empty without a primary key). */
  primaryKey: string[];
  /** Primary key and unique constraints. */
  constraints: ConstraintInfo[];
}

/** A select permission. */
export interface SelectPermission {
  columns: string[] | '*';
  filter: BoolExp;
  limit?: number | undefined;
}

/** An insert permission. */
export interface InsertPermission {
  columns: string[] | '*';
  check: BoolExp;
  set: Record<string, unknown>;
  backendOnly: boolean;
}

/** An update permission (used by upserts). */
export interface UpdatePermission {
  columns: string[] | '*';
  filter: BoolExp;
  check: BoolExp | undefined;
  set: Record<string, unknown>;
}

/** A tracked table and its permissions, keyed by role. */
export interface TrackedTable {
  /** Schema as written in metadata (`public`). */
  schema: string;
  /** Table name. */
  name: string;
  /** The schema the table really lives in (differs when the engine remaps `public`). */
  physicalSchema: string;
  /** Name of the GraphQL type and root fields. */
  graphqlName: string;
  select: Map<string, SelectPermission>;
  insert: Map<string, InsertPermission>;
  update: Map<string, UpdatePermission>;
  /** Relationship names (kept so `drop_relationship` works; not exposed in the schema). */
  relationships: Set<string>;
}

/** A table reference as found in metadata: `"name"` or `{ schema, name }`. */
export const parseTableRef = (raw: unknown, path: string): { schema: string; name: string } => {
  if (typeof raw === 'string') return { schema: 'public', name: raw };
  if (typeof raw === 'object' && raw !== null) {
    const { schema, name } = raw as { schema?: unknown; name?: unknown };
    if (typeof name === 'string') {
      return { schema: typeof schema === 'string' ? schema : 'public', name };
    }
  }
  throw new HasuraError('parse-failed', 'expected a table name or {schema, name}', path);
};

/** The metadata store: tracked tables and their permissions, plus the catalog they refer to. */
export class Catalog {
  /** Bumped on every change; schema and plan caches are keyed by it. */
  public version = 0;
  private readonly tables = new Map<string, TrackedTable>();
  private info = new Map<string, TableInfo>();
  private stale = true;

  /**
   * @param remapPublic - the schema that metadata's `public` really means
   */
  public constructor(private readonly remapPublic = 'public') {}

  /** Marks the database catalog as changed (after DDL). */
  public invalidate(): void {
    this.stale = true;
    this.version += 1;
  }

  /** Marks the metadata as changed (permissions): schemas are rebuilt, the catalog is kept. */
  public touch(): void {
    this.version += 1;
  }

  /** All tracked tables. */
  public trackedTables(): TrackedTable[] {
    return [...this.tables.values()];
  }

  /** The tracked table, if any. */
  public find(schema: string, name: string): TrackedTable | undefined {
    return this.tables.get(`${schema}.${name}`);
  }

  /** The tracked table, or the error Hasura answers for an untracked one. */
  public get(schema: string, name: string, path: string): TrackedTable {
    const table = this.find(schema, name);
    if (table === undefined) {
      throw new HasuraError('not-exists', `table "${name}" does not exist`, path);
    }
    return table;
  }

  /** Tracks a table (the table must exist after the next refresh). */
  public track(schema: string, name: string, path: string): TrackedTable {
    if (this.find(schema, name) !== undefined) {
      throw new HasuraError('already-tracked', `view/table already tracked : "${name}"`, path);
    }
    const physicalSchema = schema === 'public' ? this.remapPublic : schema;
    const table: TrackedTable = {
      schema,
      name,
      physicalSchema,
      graphqlName: schema === 'public' ? name : `${schema}_${name}`,
      select: new Map(),
      insert: new Map(),
      update: new Map(),
      relationships: new Set(),
    };
    this.tables.set(`${schema}.${name}`, table);
    this.invalidate();
    return table;
  }

  /** Untracks a table. */
  public untrack(schema: string, name: string): void {
    this.tables.delete(`${schema}.${name}`);
    this.invalidate();
  }

  /** The database shape of a tracked table (refresh first). */
  public tableInfo(table: TrackedTable): TableInfo {
    const info = this.info.get(`${table.physicalSchema}.${table.name}`);
    if (info === undefined) {
      throw new HasuraError('not-exists', `no such table/view exists in source: "${table.name}"`);
    }
    return info;
  }

  /** Whether the catalog must be re-read before the next request. */
  public isStale(): boolean {
    return this.stale;
  }

  /** Re-reads columns and constraints of every tracked table (one round trip each kind). */
  public async refresh(db: SqlExecutor): Promise<void> {
    const schemas = [...new Set(this.trackedTables().map((table) => table.physicalSchema))];
    const info = new Map<string, TableInfo>();
    if (schemas.length > 0) {
      const columns = await db.query<{
        nspname: string;
        relname: string;
        attname: string;
        typname: string;
        sqltype: string;
        nullable: boolean;
        hasdef: boolean;
      }>(
        `SELECT n.nspname, c.relname, a.attname, t.typname,
                quote_ident(tn.nspname) || '.' || quote_ident(t.typname) AS sqltype,
                NOT a.attnotnull AS nullable,
                (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS hasdef
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_type t ON t.oid = a.atttypid
           JOIN pg_namespace tn ON tn.oid = t.typnamespace
          WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'p', 'm', 'f')
            AND n.nspname = ANY($1::text[])
          ORDER BY n.nspname, c.relname, a.attnum`,
        [schemas],
      );
      for (const row of columns) {
        const key = `${row.nspname}.${row.relname}`;
        const entry = info.get(key) ?? { columns: [], primaryKey: [], constraints: [] };
        entry.columns.push({
          name: row.attname,
          udtName: row.typname,
          sqlType: row.sqltype,
          nullable: row.nullable,
          hasDefault: row.hasdef,
        });
        info.set(key, entry);
      }
      const constraints = await db.query<{
        nspname: string;
        relname: string;
        conname: string;
        contype: string;
        cols: string[];
      }>(
        `SELECT n.nspname, c.relname, k.conname, k.contype::text AS contype,
                ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord)
                        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num
                       ORDER BY u.ord) AS cols
           FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE k.contype IN ('p', 'u') AND n.nspname = ANY($1::text[])
          ORDER BY k.conname`,
        [schemas],
      );
      for (const row of constraints) {
        const entry = info.get(`${row.nspname}.${row.relname}`);
        if (entry === undefined) continue;
        const primary = row.contype === 'p';
        entry.constraints.push({ name: row.conname, columns: row.cols, primary });
        if (primary) entry.primaryKey = row.cols;
      }
    }
    this.info = info;
    this.stale = false;
  }

  /** Whether a table exists in the database (used by `track_table`). */
  public async exists(db: SqlExecutor, schema: string, name: string): Promise<boolean> {
    const physical = schema === 'public' ? this.remapPublic : schema;
    const rows = await db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = $1 AND c.relname = $2) AS found`,
      [physical, name],
    );
    return rows[0]?.found === true;
  }
}
