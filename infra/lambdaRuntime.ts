/**
 * How the project's Lambda functions are built and started, in one place without CDK imports,
 * so that `SyncFunction` deploys exactly what the benchmark measures
 * (`bench/bundleLikeLambda.ts`, `bench/consumerBench.ts`).
 */

/**
 * esbuild banner of the ESM bundle: some dependencies still call `require`, `__filename` or
 * `__dirname`, which ES modules lack.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __chsCreateRequire } from 'node:module';" +
  "import { fileURLToPath as __chsFileURLToPath } from 'node:url';" +
  "import { dirname as __chsDirname } from 'node:path';" +
  'const require = __chsCreateRequire(import.meta.url);' +
  'const __filename = __chsFileURLToPath(import.meta.url);' +
  'const __dirname = __chsDirname(__filename);';

/** The Lambda runtime's Node.js major version; the bundles target it. */
const LAMBDA_NODE_MAJOR = 22;

/** esbuild options of the Lambda bundles (the names are esbuild's own). */
export const LAMBDA_ESBUILD_OPTIONS = {
  format: 'esm',
  target: `node${LAMBDA_NODE_MAJOR}`,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourcemap: true,
} as const;

/** `NODE_OPTIONS` of every function: stack traces point at the TypeScript sources. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/**
 * `NODE_OPTIONS` of the user-sync consumer: a larger young generation (32 MiB semi-spaces).
 * Each batch's parsed records live for one Hasura round trip; with V8's default semi-spaces a
 * scavenge lands inside most round trips and copies, then promotes, the records in flight (in a
 * CPU profile of the consumer the garbage collector took 18 % of its time). `npm run bench`
 * measures the consumer with and without it (docs/benchmarks.md); it costs at most 96 MiB of
 * young generation in a 512 MiB function.
 */
export const CONSUMER_NODE_OPTIONS = `${LAMBDA_NODE_OPTIONS} --max-semi-space-size=32`;
