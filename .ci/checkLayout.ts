/**
 * Layout check (issue 15): what ships stays apart from the local harness and the engine.
 *
 * 1. No module under `cli/` or `services/` imports from `local/` or `engine/` (static or dynamic
 *    imports, resolved from the importing file).
 * 2. `dist/` (run `npm run build` first) holds only the shipped folders: `cli/`, `services/`,
 *    `shared/`, `infra/`; no engine code and nothing of the local harness. For each emitted
 *    file outside them it prints the import chain that pulled it into the build.
 *
 * Exit 0 when both hold, 1 with one line per violation otherwise.
 *
 * `--allow-known` (what CI runs until the item below is done) still prints every violation,
 * but fails only on those not explained by {@link KNOWN_IMPORTS}.
 * TODO(issue 15, item 1): `cli/simulate.ts` imports three modules of `local/`; when what it
 * needs is a proper module, empty KNOWN_IMPORTS, drop `--allow-known` from `.ci/run` and run
 * this check from `npm test`.
 *
 * @example
 * npm run build && npm run check:layout
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED = ['cli', 'services', 'shared', 'infra'] as const;
const GUARDED = ['cli', 'services'] as const;
const FORBIDDEN = ['local', 'engine'] as const;

/** Imports from a guarded folder into a forbidden one that are known and tracked by a TODO. */
const KNOWN_IMPORTS: readonly string[] = [
  'cli/simulate.ts -> local/localHandlers.ts',
  'cli/simulate.ts -> local/recordingMetrics.ts',
  'cli/simulate.ts -> local/simulateLogins.ts',
];

const allowKnown = process.argv.includes('--allow-known');

/** Every `.ts` file under a folder of the repository, as repository-relative POSIX paths. */
const sourcesUnder = (folder: string): string[] => {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => posix.join(folder, entry.split('\\').join('/')))
    .filter((path) => path.endsWith('.ts') && statSync(join(root, path)).isFile());
};

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The repository files a source imports (relative specifiers, `.js` mapped back to `.ts`). */
const importsOf = (path: string): { target: string; line: number }[] => {
  const text = readFileSync(join(root, path), 'utf8');
  const found: { target: string; line: number }[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? '';
    const target = posix
      .normalize(posix.join(posix.dirname(path), specifier))
      .replace(/\.js$/, '.ts');
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ target, line });
  }
  return found;
};

const topFolder = (path: string): string => path.split('/')[0] ?? path;
const isForbidden = (path: string): boolean =>
  (FORBIDDEN as readonly string[]).includes(topFolder(path));

const violations: string[] = [];
const known: string[] = [];

// 1. Imports of the harness or the engine under cli/ and services/.
for (const source of GUARDED.flatMap(sourcesUnder)) {
  for (const { target, line } of importsOf(source)) {
    if (!isForbidden(target)) continue;
    const edge = `${source} -> ${target}`;
    const message = `import: ${source}:${line} imports ${target}`;
    if (KNOWN_IMPORTS.includes(edge)) known.push(message);
    else violations.push(message);
  }
}

// 2. What the build emitted outside the shipped folders, with the chain that pulled it in.
const chains = new Map<string, string[]>();
const reachable = (skipKnown: boolean): Set<string> => {
  const seen = new Set<string>();
  const queue = SHIPPED.flatMap(sourcesUnder).map((path) => [path]);
  while (queue.length > 0) {
    const chain = queue.shift() ?? [];
    const path = chain.at(-1) ?? '';
    if (seen.has(path) || !existsSync(join(root, path))) continue;
    seen.add(path);
    if (!skipKnown && !chains.has(path)) chains.set(path, chain);
    for (const { target } of importsOf(path)) {
      if (skipKnown && KNOWN_IMPORTS.includes(`${path} -> ${target}`)) continue;
      queue.push([...chain, target]);
    }
  }
  return seen;
};
const reachedAtAll = reachable(false);
const reachedWithoutKnown = reachable(true);

const dist = join(root, 'dist');
if (!existsSync(dist)) {
  violations.push('dist: dist/ does not exist; run `npm run build` first');
} else {
  for (const entry of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    const path = entry.split('\\').join('/');
    if (!path.endsWith('.js') || (SHIPPED as readonly string[]).includes(topFolder(path))) continue;
    const source = path.replace(/\.js$/, '.ts');
    const chain = chains.get(source);
    const why =
      chain === undefined
        ? 'imported by no shipped module: left from an older build? rm -rf dist, build again'
        : chain.join(' -> ');
    const message = `dist: dist/${path} is not shipped code (${why})`;
    if (reachedAtAll.has(source) && !reachedWithoutKnown.has(source)) known.push(message);
    else violations.push(message);
  }
}

for (const message of known) console.log(`KNOWN  ${message}`);
for (const message of violations) console.log(`FAIL   ${message}`);
const failing = allowKnown ? violations.length : violations.length + known.length;
console.log(
  failing === 0
    ? `check:layout: ok${known.length > 0 ? ` (${known.length} known, tracked in ${relative(root, fileURLToPath(import.meta.url))})` : ''}`
    : `check:layout: ${failing} violation(s)${allowKnown ? '' : known.length > 0 ? ` (${known.length} of them known, see KNOWN_IMPORTS)` : ''}`,
);
process.exit(failing === 0 ? 0 : 1);
