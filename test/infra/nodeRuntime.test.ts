import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/lambdaRuntime.js';

interface Manifest {
  readonly engines: { readonly node: string };
  readonly devDependencies: Readonly<Record<string, string>>;
}

const manifest = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as Manifest;

/** The first whole number of a version or range (`>=22.0.0` → 22, `22.23.3` → 22). */
const majorOf = (version: string | undefined): number => Number(/\d+/.exec(version ?? '')?.[0]);

const lambdaMajor = majorOf(LAMBDA_ESBUILD_OPTIONS.target);

/**
 * Every npm script runs on the Node.js major the Lambdas run: the `node` devDependency puts that
 * binary first on `npm run`'s PATH, whatever the system's Node is, and the declared versions agree.
 */
describe('Node.js of the scripts and of the Lambdas', () => {
  it('runs this test on the Lambda runtime major (npm run uses the node devDependency)', () => {
    // Assess
    expect(lambdaMajor).toBe(22);
    expect(majorOf(process.versions.node)).toBe(lambdaMajor);
  });

  it('declares the same major in engines, the node devDependency and @types/node', () => {
    // Assess
    expect(majorOf(manifest.engines.node)).toBe(lambdaMajor);
    expect(majorOf(manifest.devDependencies.node)).toBe(lambdaMajor);
    expect(majorOf(manifest.devDependencies['@types/node'])).toBe(lambdaMajor);
  });
});
