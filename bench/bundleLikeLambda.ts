import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_ESBUILD_OPTIONS } from '../infra/lambdaRuntime.js';

/**
 * Bundles `entry` the way the Lambda functions are bundled (`infra/lambdaRuntime.ts`: ESM,
 * minified, source maps, every dependency inside), targeting the Node.js that runs the
 * benchmark, into a fresh temporary folder. The benchmark runs such a bundle with plain `node`:
 * code run through tsx pays for tsx's `keepNames` (a `__name` call for every closure created),
 * which a deployed function does not.
 *
 * @param entry - absolute path of the TypeScript entry.
 * @returns the absolute path of the bundle (`.mjs`).
 */
export const bundleLikeLambda = async (entry: string): Promise<string> => {
  const outfile = join(await mkdtemp(join(tmpdir(), 'chs-bench-')), 'bundle.mjs');
  await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    banner: { js: LAMBDA_ESBUILD_OPTIONS.banner },
    target: `node${process.versions.node.split('.')[0]}`,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    outfile,
    logLevel: 'error',
  });
  return outfile;
};
