/**
 * The engine without its HTTP front: database, catalog, metadata API and GraphQL executor,
 * with the Hasura project applied. `startHasuraEngine` serves it over HTTP; benchmarks and
 * tests may drive it in-process.
 */
import { Catalog } from './catalog.js';
import { type Database, openDatabase } from './database.js';
import { GraphqlExecutor } from './executor.js';
import { MetadataApi } from './metadataApi.js';
import {
  applyMetadata,
  applyMigrations,
  DEFAULT_SOURCE_SETTINGS,
  defaultProjectDir,
} from './projectLoader.js';
import { SchemaCache } from './schemaCache.js';

/** Options of {@link createEngineCore}. */
export interface EngineCoreOptions {
  /** A real PostgreSQL connection string. @default undefined — embedded PGlite in memory */
  databaseUrl?: string | undefined;
  /** Postgres schema the project's `public` tables live in. @default 'public' */
  schema?: string | undefined;
  /** Apply `hasura/migrations` and `hasura/metadata` at start. @default true */
  applyProject?: boolean | undefined;
  /** The Hasura project folder. @default the repository's `hasura/` */
  projectDir?: string | undefined;
}

/** The engine's parts. */
export interface EngineCore {
  db: Database;
  catalog: Catalog;
  metadata: MetadataApi;
  executor: GraphqlExecutor;
}

/**
 * Opens the database and applies the project.
 *
 * @example
 * const core = await createEngineCore();
 * const json = await core.executor.run({ query: '{ users { id } }' }, adminSession);
 */
export const createEngineCore = async (options: EngineCoreOptions = {}): Promise<EngineCore> => {
  const schema = options.schema ?? 'public';
  const db = await openDatabase({ databaseUrl: options.databaseUrl, schema });
  const catalog = new Catalog(schema);
  const metadata = new MetadataApi(db, catalog);
  let settings = DEFAULT_SOURCE_SETTINGS;
  try {
    if (options.applyProject ?? true) {
      const projectDir = options.projectDir ?? defaultProjectDir();
      await applyMigrations(db, projectDir, schema);
      settings = await applyMetadata(metadata, projectDir);
    }
    await catalog.refresh(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const executor = new GraphqlExecutor(db, catalog, new SchemaCache(catalog), settings);
  return { db, catalog, metadata, executor };
};
