import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LAMBDA_NODE_OPTIONS } from '../infra/lambdaRuntime.js';
import { round } from './benchStats.js';
import { bundleLikeLambda } from './bundleLikeLambda.js';

/** One function of the cold-start section. */
export interface ColdStartSubject {
  /** Its name in the table. */
  readonly name: string;
  /** Entry, relative to the repository root (the stack's `entry`). */
  readonly entry: string;
  /** The environment the function gets in AWS (what its module reads at cold start). */
  readonly env: Readonly<Record<string, string>>;
}

/** Figures of one function. */
export interface ColdStartFigures {
  readonly name: string;
  /** Size of the minified bundle, KiB (the source map apart). */
  readonly bundle_kib: number;
  /** Median import time in a fresh process (wall clock), ms. */
  readonly init_ms: number;
  /** The fastest and slowest of the runs, ms. */
  readonly init_ms_range: readonly [number, number];
  /** `init_ms` ÷ the bare `node:https` handler's median of the same run. */
  readonly vs_bare: number;
  /**
   * Median CPU time (user + system) of the process during the import, ms: what the import
   * costs, whatever else the machine runs meanwhile.
   */
  readonly init_cpu_ms: number;
  /** `init_cpu_ms` ÷ the bare handler's. */
  readonly cpu_vs_bare: number;
}

/** Results of {@link benchColdStart}. */
export interface ColdStartResults {
  /** Fresh processes per function. */
  readonly runs: number;
  readonly node_options: string;
  readonly bare: ColdStartFigures;
  readonly functions: readonly ColdStartFigures[];
}

const AWS_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'CognitoHasuraSync',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** The stack's three functions, with the settings the stack gives them. */
export const COLD_START_SUBJECTS: readonly ColdStartSubject[] = [
  {
    name: 'pre-token-generation',
    entry: 'services/pre-token-generation/handler.ts',
    env: { POWERTOOLS_SERVICE_NAME: 'pre-token-generation' },
  },
  {
    name: 'post-authentication',
    entry: 'services/post-authentication/handler.ts',
    env: {
      POWERTOOLS_SERVICE_NAME: 'post-authentication',
      EVENT_BUS_NAME: 'cognito-hasura-sync',
      SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync',
      PUBLISH_BUDGET_MS: '1000',
    },
  },
  {
    name: 'user-sync',
    entry: 'services/user-sync/handler.ts',
    env: {
      POWERTOOLS_SERVICE_NAME: 'user-sync',
      HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
      HASURA_ADMIN_SECRET_ARN:
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin-AbCdEf',
      USER_POOL_IDS: 'eu-west-1_AbCdEf123',
    },
  },
];

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE_ENTRY = fileURLToPath(new URL('./bareHttpsHandler.ts', import.meta.url));

// Runs in the fresh process: the import of the bundle (module evaluation included: each handler
// composes its service at module scope), timed from inside, printed as JSON.
const CHILD_SCRIPT = `
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(process.env.BENCH_COLD_START_BUNDLE);
const importMs = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ importMs, cpuMs: (user + system) / 1000 }));
`;

/** One import: wall and CPU ms. */
interface ImportTime {
  readonly importMs: number;
  readonly cpuMs: number;
}

/** Imports `bundle` once in a fresh `node` with the functions' `NODE_OPTIONS`. */
const importOnce = (bundle: string, env: Readonly<Record<string, string>>): ImportTime => {
  const child = spawnSync(
    process.execPath,
    [...LAMBDA_NODE_OPTIONS.split(' '), '--input-type=module', '-e', CHILD_SCRIPT],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...AWS_ENV,
        ...env,
        BENCH_COLD_START_BUNDLE: pathToFileURL(bundle).href,
      },
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`cold start of ${bundle} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ImportTime;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * The cold-start section: each function bundled as the stack bundles it
 * ({@link bundleLikeLambda}), then imported `runs` times, each in a fresh Node.js process with the
 * functions' `NODE_OPTIONS`, beside a handler that imports only `node:https`
 * (`bench/bareHttpsHandler.ts`). The runs go round-robin (bare, pre-token, post-auth, user-sync,
 * bare, …) so that the machine's drift weighs on every function alike.
 *
 * @param runs - fresh processes per function.
 * @default runs 7
 */
export const benchColdStart = async (runs = 7): Promise<ColdStartResults> => {
  const subjects = [
    { name: 'bare node:https handler', entry: BARE_ENTRY, env: {} },
    ...COLD_START_SUBJECTS.map((subject) => ({
      ...subject,
      entry: fileURLToPath(new URL(subject.entry, pathToFileURL(REPOSITORY_ROOT))),
    })),
  ];
  const bundles = await Promise.all(subjects.map((subject) => bundleLikeLambda(subject.entry)));
  const times: ImportTime[][] = subjects.map(() => []);
  for (let run = 0; run < runs; run += 1) {
    subjects.forEach((subject, index) => {
      times[index]?.push(importOnce(bundles[index] ?? '', subject.env));
    });
  }
  const sizes = await Promise.all(bundles.map(async (bundle) => (await stat(bundle)).size));
  const wall = times.map((series) => series.map((time) => time.importMs));
  const cpu = times.map((series) => series.map((time) => time.cpuMs));
  const bareWall = median(wall[0] ?? []);
  const bareCpu = median(cpu[0] ?? []);
  const figures = subjects.map((subject, index): ColdStartFigures => {
    const ownWall = wall[index] ?? [];
    const ownCpu = cpu[index] ?? [];
    return {
      name: subject.name,
      bundle_kib: round((sizes[index] ?? 0) / 1024, 1),
      init_ms: round(median(ownWall), 2),
      init_ms_range: [round(Math.min(...ownWall), 2), round(Math.max(...ownWall), 2)],
      vs_bare: round(median(ownWall) / bareWall, 2),
      init_cpu_ms: round(median(ownCpu), 2),
      cpu_vs_bare: round(median(ownCpu) / bareCpu, 2),
    };
  });
  const [bare, ...functions] = figures;
  if (bare === undefined) throw new Error('benchColdStart: no reference measured');
  return { runs, node_options: LAMBDA_NODE_OPTIONS, bare, functions };
};

/** Targets of issue 18: init as a multiple of the bare handler's. */
export const COLD_START_TARGETS: Readonly<Record<string, number>> = {
  'pre-token-generation': 2.5,
  'post-authentication': 9,
  'user-sync': 9,
};
