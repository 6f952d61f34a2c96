/**
 * Layout check (issue 15): what ships stays apart from the local harness and the engine.
 *
 * 1. No module under `cli/` or `services/` imports from `local/` or `engine/` (static or dynamic
 *    imports, resolved from the importing file).
 * 2. `dist/` (run `npm run build` first) holds only the shipped folders: `cli/`, `services/`,
 *    `shared/`, `infra/`; no engine code and nothing of the local harness. For each emitted
 *    file outside them it prints the import chain that pulled it into the build.
 *
 * Exit 0 when both hold, 1 with one line per violation otherwise. `npm run check:layout` builds
 * first (the build starts from an empty `dist/`); `npm test` runs it.
 *
 * @example
 * npm run check:layout
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED = ['cli', 'services', 'shared', 'infra'] as const;
const GUARDED = ['cli', 'services'] as const;
const FORBIDDEN = ['local', 'engine'] as const;

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

// 1. Imports of the harness or the engine under cli/ and services/.
for (const source of GUARDED.flatMap(sourcesUnder)) {
  for (const { target, line } of importsOf(source)) {
    if (!isForbidden(target)) continue;
    violations.push(`import: ${source}:${line} imports ${target}`);
  }
}

// 2. What the build emitted outside the shipped folders, with the chain that pulled it in.
const chains = new Map<string, string[]>();
{
  const seen = new Set<string>();
  const queue = SHIPPED.flatMap(sourcesUnder).map((path) => [path]);
  while (queue.length > 0) {
    const chain = queue.shift() ?? [];
    const path = chain.at(-1) ?? '';
    if (seen.has(path) || !existsSync(join(root, path))) continue;
    seen.add(path);
    chains.set(path, chain);
    for (const { target } of importsOf(path)) queue.push([...chain, target]);
  }
}

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
    violations.push(`dist: dist/${path} is not shipped code (${why})`);
  }
}

for (const message of violations) console.log(`FAIL   ${message}`);
console.log(
  violations.length === 0 ? 'check:layout: ok' : `check:layout: ${violations.length} violation(s)`,
);
process.exit(violations.length === 0 ? 0 : 1);
