/**
 * `npm run test:conformance`: runs Hasura's own YAML fixtures as Hasura's harness does, against
 * the local engine (PGlite; `DATABASE_URL` → a real PostgreSQL) or against any Hasura given by
 * `HASURA_GRAPHQL_ENDPOINT` (+ `HASURA_GRAPHQL_ADMIN_SECRET`). Prints every case, the
 * exclusions with their reasons, and ends with the line `N passed, M failed`.
 *
 * Environment: HASURA_FIXTURES_DIR (default `<repo>/../shared/fixtures/hasura`),
 * HASURA_CONFORMANCE_AUTH = admin-secret | jwt | both (default both on the local engine;
 * admin-secret against a remote Hasura).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportSPKI, generateKeyPair } from 'jose';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import {
  discoverFolders,
  EXCLUDED_FILES,
  EXCLUDED_FOLDERS,
  type FixtureFolder,
  readCases,
  readYaml,
  VERSION_OVERRIDES,
} from './fixtureCorpus.js';
import { runCase, runQueryFile, type Target } from './harness.js';

type AuthMode = 'admin-secret' | 'jwt';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir =
  process.env.HASURA_FIXTURES_DIR ?? resolve(repoRoot, '../shared/fixtures/hasura');
const remote = process.env.HASURA_GRAPHQL_ENDPOINT;
const ADMIN_SECRET = 'conformance-admin-secret';

let passed = 0;
let failed = 0;

const report = (ok: boolean, label: string, detail?: string): void => {
  if (ok) passed += 1;
  else failed += 1;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}  ${label}${detail === undefined ? '' : `\n      ${detail}`}`,
  );
};

const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Runs one folder as the pytest class does. */
const runFolder = async (target: Target, folder: FixtureFolder, mode: AuthMode): Promise<void> => {
  const file = (name: string) => `${folder.path}/${name}`;
  const prefix = `[${mode}] `;
  const tests = folder.tests.filter((path) => {
    const excluded = EXCLUDED_FILES.find((entry) => entry.path === path);
    return excluded === undefined || (excluded.jwtOnly === true && mode === 'jwt');
  });
  try {
    for (const name of folder.setup) {
      await runQueryFile(target, await readYaml(fixturesDir, file(name)), file(name));
    }
  } catch (error) {
    for (const path of tests) report(false, `${prefix}${path}`, `setup: ${describeError(error)}`);
    return;
  }
  for (const path of tests) {
    try {
      for (const name of folder.perFileSetup) {
        await runQueryFile(target, await readYaml(fixturesDir, file(name)), file(name));
      }
      const cases = await readCases(fixturesDir, path);
      for (const [index, testCase] of cases.entries()) {
        const label = `${prefix}${path}${cases.length > 1 ? ` #${index + 1}` : ''}: ${
          testCase.description?.replace(/\s+/g, ' ').trim() ?? ''
        }`;
        const result = await runCase(target, testCase);
        report(result.passed, label, result.reason);
      }
    } catch (error) {
      report(false, `${prefix}${path}`, describeError(error));
    } finally {
      for (const name of folder.perFileTeardown) {
        await runQueryFile(target, await readYaml(fixturesDir, file(name)), file(name)).catch(
          (error: unknown) => report(false, `${prefix}${file(name)}`, describeError(error)),
        );
      }
    }
  }
  for (const name of folder.teardown) {
    await runQueryFile(target, await readYaml(fixturesDir, file(name)), file(name)).catch(
      (error: unknown) => report(false, `${prefix}${file(name)}`, describeError(error)),
    );
  }
};

/** Starts the local engine for one pass; on PostgreSQL in a schema of its own. */
const startLocal = async (mode: AuthMode): Promise<{ engine: HasuraEngine; target: Target }> => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl === undefined ? 'public' : `conformance_${process.pid}`;
  let jwtSecret: string | undefined;
  const target: Target = { endpoint: '', adminSecret: ADMIN_SECRET };
  if (mode === 'jwt') {
    const { publicKey, privateKey } = await generateKeyPair('RS512');
    jwtSecret = JSON.stringify({ type: 'RS512', key: await exportSPKI(publicKey) });
    target.jwtKey = privateKey;
  }
  const engine = await startHasuraEngine({
    applyProject: false,
    adminSecret: ADMIN_SECRET,
    jwtSecret,
    databaseUrl,
    schema,
  });
  target.endpoint = engine.endpoint;
  return { engine, target };
};

const main = async (): Promise<number> => {
  if (!existsSync(fixturesDir)) {
    console.error(
      `Hasura fixtures not found at ${fixturesDir}: set HASURA_FIXTURES_DIR to the folder holding graphql_mutation/ and graphql_query/.`,
    );
    return 2;
  }
  const folders = await discoverFolders(fixturesDir);
  const runnable = folders.filter((f) => !EXCLUDED_FOLDERS.some((e) => e.path === f.path));
  const requested = process.env.HASURA_CONFORMANCE_AUTH ?? (remote ? 'admin-secret' : 'both');
  const modes: AuthMode[] =
    requested === 'both' ? ['admin-secret', 'jwt'] : [requested === 'jwt' ? 'jwt' : 'admin-secret'];
  console.log(`Hasura conformance: ${fixturesDir}`);
  console.log(
    `Target: ${remote ?? `local engine (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`}`,
  );
  for (const mode of modes) {
    if (remote !== undefined) {
      const target = {
        endpoint: remote.replace(/\/v1\/graphql\/?$/, '').replace(/\/$/, ''),
        adminSecret: process.env.HASURA_GRAPHQL_ADMIN_SECRET,
      };
      for (const folder of runnable) await runFolder(target, folder, mode);
      continue;
    }
    const { engine, target } = await startLocal(mode);
    try {
      for (const folder of runnable) await runFolder(target, folder, mode);
    } finally {
      if (process.env.DATABASE_URL !== undefined) {
        await engine
          .sql(`DROP SCHEMA IF EXISTS "conformance_${process.pid}" CASCADE`)
          .catch(() => undefined);
      }
      await engine.stop();
    }
  }
  console.log('\nExcluded (not run):');
  for (const { path, reason } of EXCLUDED_FOLDERS) console.log(`  ${path}/: ${reason}`);
  for (const { path, reason, jwtOnly } of EXCLUDED_FILES) {
    if (jwtOnly === true && modes.includes('jwt')) continue;
    console.log(`  ${path}: ${reason}`);
  }
  console.log('Version choices:');
  for (const [path, { use, reason }] of Object.entries(VERSION_OVERRIDES)) {
    console.log(`  ${path} → ${use}: ${reason}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Conformance run aborted: ${describeError(error)}`);
    console.log(`\n${passed} passed, ${failed + 1} failed`);
    process.exitCode = 1;
  },
);
