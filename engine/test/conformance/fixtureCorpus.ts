/**
 * The Hasura fixture corpus as Hasura's pytest harness uses it: test folders, their setup and
 * teardown files, test files, cases, and the short list of exclusions (each naming the
 * feature or upstream gap that keeps it from running here).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** One request/response case of a test file. */
export interface FixtureCase {
  description?: string;
  url: string;
  status: number;
  query: unknown;
  headers?: Record<string, unknown>;
  response?: unknown;
  allowed_responses?: { response: unknown }[];
}

/** A test folder and how the harness runs it. */
export interface FixtureFolder {
  /** Path relative to the corpus root. */
  path: string;
  /** `per-class-and-method`: schema_setup once, values_setup around every file; `per-class`: setup once. */
  style: 'per-class-and-method' | 'per-class';
  /** Setup/teardown file names, relative to the folder. */
  setup: string[];
  teardown: string[];
  perFileSetup: string[];
  perFileTeardown: string[];
  /** Test files (relative to the corpus root), sorted. */
  tests: string[];
}

/** Why a folder or file is not run. */
export interface Exclusion {
  path: string;
  reason: string;
}

/** Folders not run: they need features the engine does not have. */
export const EXCLUDED_FOLDERS: readonly Exclusion[] = [
  {
    path: 'graphql_query/permissions',
    reason:
      'setup.yaml needs the PostGIS extension (geometry column, ST_GeomFromEWKT), computed fields and tracked SQL functions; 4 of its 5 tests need relationships (nested author/articles, filters through relationships)',
  },
];

/** Test files not run, with the reason. `jwtOnly` files run in JWT mode only. */
export const EXCLUDED_FILES: readonly (Exclusion & { jwtOnly?: boolean })[] = [
  {
    path: 'graphql_mutation/insert/basic/insert_integer_overflow.yaml',
    reason:
      'referenced by no upstream test; expects the Haskell number parser text "The value 2.147483648e9 lies outside the bounds…" (parse-failed)',
  },
  {
    path: 'graphql_mutation/insert/onconflict/order_on_conflict_where.yaml',
    reason:
      'upstream gap: step 1 needs an orders row id 1 that no stored values_setup.yaml creates (see SOURCES.md)',
  },
  {
    path: 'graphql_mutation/insert/permissions/backend_user_no_admin_secret_fail.yaml',
    reason: 'the harness runs it only with JWT or webhook auth (run in JWT mode)',
    jwtOnly: true,
  },
];

/**
 * Later upstream versions used instead of the stored canonical file, with the reason.
 * The pre-PostgreSQL 13 not-null message cannot come from PostgreSQL 13+ (PGlite is 17).
 */
export const VERSION_OVERRIDES: Readonly<Record<string, { use: string; reason: string }>> = {
  'graphql_mutation/insert/constraints/address_not_null_constraint_error.yaml': {
    use: '_alt/graphql_mutation/insert/constraints/address_not_null_constraint_error.2611fea.yaml',
    reason: 'later upstream version (allowed_responses) accepts the PostgreSQL 13+ wording',
  },
};

const SETUP_FILES = new Set([
  'setup.yaml',
  'teardown.yaml',
  'schema_setup.yaml',
  'schema_teardown.yaml',
  'values_setup.yaml',
  'values_teardown.yaml',
]);

const walk = async (dir: string, out: string[] = []): Promise<string[]> => {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== '_alt') await walk(join(dir, entry.name), out);
    } else if (entry.name.endsWith('.yaml')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
};

/** Finds the test folders of the corpus (folders that hold setup files or tests). */
export const discoverFolders = async (root: string): Promise<FixtureFolder[]> => {
  const files = await walk(root);
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const rel = relative(root, file);
    const folder = rel.split('/').slice(0, -1).join('/');
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), rel.split('/').at(-1) ?? '']);
  }
  const folders: FixtureFolder[] = [];
  for (const [path, names] of [...byFolder.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const has = (name: string) => names.includes(name);
    const tests = names
      .filter((name) => !SETUP_FILES.has(name))
      .sort()
      .map((name) => `${path}/${name}`);
    // schema_setup wins over the legacy setup.yaml duplicate (insert/basic has both).
    if (has('schema_setup.yaml')) {
      folders.push({
        path,
        style: 'per-class-and-method',
        setup: ['schema_setup.yaml'],
        teardown: has('schema_teardown.yaml') ? ['schema_teardown.yaml'] : [],
        perFileSetup: has('values_setup.yaml') ? ['values_setup.yaml'] : [],
        perFileTeardown: has('values_teardown.yaml') ? ['values_teardown.yaml'] : [],
        tests,
      });
    } else {
      folders.push({
        path,
        style: 'per-class',
        setup: has('setup.yaml') ? ['setup.yaml'] : [],
        teardown: has('teardown.yaml') ? ['teardown.yaml'] : [],
        perFileSetup: [],
        perFileTeardown: [],
        tests,
      });
    }
  }
  return folders;
};

/** Reads a YAML file of the corpus. */
export const readYaml = async (root: string, path: string): Promise<unknown> =>
  parseYaml(await readFile(join(root, path), 'utf8'));

/** Reads a test file's cases (one case or a list), applying {@link VERSION_OVERRIDES}. */
export const readCases = async (root: string, path: string): Promise<FixtureCase[]> => {
  const override = VERSION_OVERRIDES[path];
  const source =
    override !== undefined && existsSync(join(root, override.use)) ? override.use : path;
  const parsed = await readYaml(root, source);
  return (Array.isArray(parsed) ? parsed : [parsed]) as FixtureCase[];
};
