/**
 * Applies a Hasura CLI project (config v3) the way `hasura migrate apply` and
 * `hasura metadata apply` would: `migrations/default/<version>_<name>/up.sql` in version order
 * (each once per schema), then the tracked tables and permissions of `metadata/databases`.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Database } from './database.js';
import type { MetadataApi } from './metadataApi.js';

/** The repository's `hasura/` folder, from the sources or from the built `dist/` tree. */
export const defaultProjectDir = (): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../hasura'), resolve(here, '../../../hasura')];
  return candidates.find((dir) => existsSync(join(dir, 'config.yaml'))) ?? candidates[0] ?? here;
};

/** Reads a metadata YAML file, following Hasura CLI's `"!include path"` strings. */
const readMetadataFile = async (file: string): Promise<unknown> => {
  const value: unknown = parseYaml(await readFile(file, 'utf8'));
  return resolveIncludes(value, dirname(file));
};

const resolveIncludes = async (value: unknown, dir: string): Promise<unknown> => {
  if (typeof value === 'string' && value.startsWith('!include ')) {
    return readMetadataFile(join(dir, value.slice('!include '.length).trim()));
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveIncludes(item, dir)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await resolveIncludes(item, dir);
    return out;
  }
  return value;
};

const MIGRATIONS_TABLE = 'hdb_catalog.local_engine_migrations';

/** Creates the migrations bookkeeping table; tolerates another engine creating it meanwhile. */
const ensureMigrationsTable = async (db: Database): Promise<void> => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await db.runSql(
        `CREATE SCHEMA IF NOT EXISTS hdb_catalog;
         CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
           schema_oid oid NOT NULL, schema_name text NOT NULL, version bigint NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (schema_oid, version))`,
      );
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '23505' && code !== '42P07')) throw error;
    }
  }
};

/** Applies pending migrations of `migrations/default` to `schema`; returns the versions run. */
export const applyMigrations = async (
  db: Database,
  projectDir: string,
  schema: string,
): Promise<number[]> => {
  const dir = join(projectDir, 'migrations', 'default');
  if (!existsSync(dir)) return [];
  await ensureMigrationsTable(db);
  const applied = new Set(
    (
      await db.query<{ version: string }>(
        // Keyed by the schema's oid: a schema dropped and created again gets its migrations again.
        `SELECT version::text AS version FROM ${MIGRATIONS_TABLE} WHERE schema_oid = (SELECT oid FROM pg_namespace WHERE nspname = $1)`,
        [schema],
      )
    ).map((row) => Number(row.version)),
  );
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^\d+_/.test(entry.name))
    .map((entry) => ({ name: entry.name, version: Number(entry.name.split('_')[0]) }))
    .sort((a, b) => a.version - b.version);
  const ran: number[] = [];
  for (const entry of entries) {
    if (applied.has(entry.version)) continue;
    const up = join(dir, entry.name, 'up.sql');
    if (!existsSync(up)) continue;
    await db.runSql(await readFile(up, 'utf8'));
    await db.query(
      `INSERT INTO ${MIGRATIONS_TABLE} (schema_oid, schema_name, version)
       VALUES ((SELECT oid FROM pg_namespace WHERE nspname = $1), $1, $2)`,
      [schema, entry.version],
    );
    ran.push(entry.version);
  }
  return ran;
};

interface TableMetadata {
  table: { schema?: string; name: string };
  select_permissions?: { role: string; permission: unknown }[];
  insert_permissions?: { role: string; permission: unknown }[];
  update_permissions?: { role: string; permission: unknown }[];
  delete_permissions?: { role: string; permission: unknown }[];
}

/** The settings of the `default` source the engine honours. */
export interface SourceSettings {
  /**
   * `configuration.connection_info.use_prepared_statements` (Hasura's default: false): prepare
   * query statements on the connection. Hasura never prepares mutations.
   */
  readonly usePreparedStatements: boolean;
}

/** A source without settings: Hasura's defaults. */
export const DEFAULT_SOURCE_SETTINGS: SourceSettings = { usePreparedStatements: false };

/**
 * Applies `metadata/databases/databases.yaml` (source `default`) through the metadata API and
 * returns the source's settings the engine honours.
 */
export const applyMetadata = async (
  api: MetadataApi,
  projectDir: string,
): Promise<SourceSettings> => {
  const file = join(projectDir, 'metadata', 'databases', 'databases.yaml');
  if (!existsSync(file)) return DEFAULT_SOURCE_SETTINGS;
  const sources = (await readMetadataFile(file)) as
    | {
        name: string;
        tables?: unknown;
        configuration?: { connection_info?: { use_prepared_statements?: unknown } };
      }[]
    | null;
  const source = (sources ?? []).find((s) => s.name === 'default');
  const tables = (Array.isArray(source?.tables) ? source.tables : []) as TableMetadata[];
  const queries: unknown[] = [];
  for (const entry of tables) {
    const table = { schema: entry.table.schema ?? 'public', name: entry.table.name };
    queries.push({ type: 'track_table', args: table });
    for (const kind of ['select', 'insert', 'update', 'delete'] as const) {
      for (const { role, permission } of entry[`${kind}_permissions`] ?? []) {
        queries.push({ type: `create_${kind}_permission`, args: { table, role, permission } });
      }
    }
  }
  await api.run({ type: 'bulk', args: queries });
  return {
    usePreparedStatements: source?.configuration?.connection_info?.use_prepared_statements === true,
  };
};
