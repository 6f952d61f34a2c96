/**
 * `npm run bench` (`-- --quick` for a tenth of the work): measures, in one run, on one
 * PostgreSQL server (`DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`) and one
 * engine, the functions' cold starts, the consumer against the naive and raw-SQL alternatives
 * (one run each, then alternating rounds for the headline ratios and the Hasura side's CPU),
 * the consumer's own CPU cost, the post-authentication trigger, and the local stack end to end.
 * Writes `bench/results.json` and prints the tables.
 *
 * Flags: `--quick`; `--only cold-start,consumer,paired,cpu,post-auth,e2e,engine,reconcile` (sections; the
 * others keep their figures from the existing file, `--only summary` only rewrites it);
 * `--out <file>`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Before any service module builds its logger/metrics: EMF output and logs would drown the
// tables (the work is still done: the benchmarks serialise the metrics themselves).
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const { describeMachine, markdownTable, targetTable, variantTable, writeResults } = await import(
  './benchReport.js'
);
const { BENCH_SCHEMA, redactUrl, resetBenchSchema } = await import('./benchSchema.js');
const { benchConsumerCpu, benchConsumerThroughput } = await import('./consumerBench.js');
const { collectGarbage } = await import('./benchStats.js');
const { benchPostAuthentication } = await import('./postAuthBench.js');
const { benchEndToEnd } = await import('./endToEndBench.js');
const { buildSummary, readPreviousResults } = await import('./benchSummary.js');
const { benchColdStart } = await import('./coldStartBench.js');
const { benchPairedThroughput } = await import('./pairedBench.js');
const { buildHeadlineSummary, COLD_START_HEADER } = await import('./headlineSummary.js');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const ALL_SECTIONS = 'cold-start,consumer,paired,cpu,post-auth,e2e,engine,reconcile';
const sections = new Set((flag('--only') ?? ALL_SECTIONS).split(','));
const partial = sections.size < ALL_SECTIONS.split(',').length;
const out = flag('--out') ?? fileURLToPath(new URL('./results.json', import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const scale = quick ? 0.1 : 1;

/**
 * The reconcile section: `bench/reconcileBench.ts` in a process of its own (its CPU and peak
 * memory are its own), its JSON result kept as it prints it.
 */
const benchReconcile = async (short: boolean): Promise<unknown> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./reconcileBench.ts', import.meta.url)),
      ...(short ? ['--users', '10000', '--moto-users', '2000'] : []),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as unknown;
};

/** One section of the existing results file, for `--only` runs that do not run it. */
const readPreviousSection = async (path: string, key: string): Promise<unknown> => {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
};

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const main = async (): Promise<void> => {
  const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  log(`load average ${loadAtStart.join(' / ')} (1 / 5 / 15 min) on ${cpus().length} cores`);
  log(
    `${quick ? 'quick run (a tenth)' : 'full run'} on ${redactUrl(databaseUrl)}, schema ${BENCH_SCHEMA}`,
  );
  // Cold starts first, while nothing of this run loads the machine.
  if (sections.has('cold-start')) log('cold start: each function bundled, imported 7 times');
  const coldStart = sections.has('cold-start') ? await benchColdStart(7) : undefined;
  // The trigger first: its p99 must not pay for collecting the consumer runs' 100,000 records.
  if (sections.has('post-auth'))
    log('post-authentication trigger: fake EventBridge 0/5/50 ms/hung');
  const postAuth = sections.has('post-auth') ? await benchPostAuthentication(scale) : undefined;
  const consumer = sections.has('consumer')
    ? await (async () => {
        await resetBenchSchema(databaseUrl);
        return benchConsumerThroughput({
          scale,
          databaseUrl,
          schema: BENCH_SCHEMA,
          onVariant: (name) => log(`consumer throughput: ${name}`),
        });
      })()
    : undefined;
  collectGarbage();
  const paired = sections.has('paired')
    ? await benchPairedThroughput({
        scale,
        databaseUrl,
        rounds: quick ? 3 : 5,
        onStep: (step) => log(`paired rounds: ${step}`),
      })
    : undefined;
  collectGarbage();
  if (sections.has('cpu')) log('consumer CPU: instant Hasura');
  const cpu = sections.has('cpu') ? await benchConsumerCpu(scale) : undefined;
  collectGarbage();
  if (sections.has('e2e')) log('end to end on the local stack');
  const endToEnd = sections.has('e2e') ? await benchEndToEnd(scale) : undefined;

  if (sections.has('reconcile'))
    log('reconcile: 100,000 users on instant endpoints, 20,000 on moto');
  const reconcile = sections.has('reconcile') ? await benchReconcile(quick) : undefined;

  // `--only`: the sections not run keep their figures from the existing file.
  const previous = partial ? await readPreviousResults(out) : {};
  const previousReconcile = partial ? await readPreviousSection(out, 'reconcile') : undefined;
  const summary = buildSummary({
    consumer: consumer ?? previous.consumer,
    cpu: cpu ?? previous.cpu,
    postAuth: postAuth ?? previous.postAuth,
    endToEnd: endToEnd ?? previous.endToEnd,
  });
  const headline = buildHeadlineSummary({
    paired: paired ?? previous.paired,
    coldStart: coldStart ?? previous.coldStart,
    cpu: cpu ?? previous.cpu,
  });
  const targets = [...headline.targets, ...summary.targets];
  const results = {
    generated_at: new Date().toISOString(),
    command: quick ? 'npm run bench -- --quick' : 'npm run bench',
    ...(partial ? { sections_run: [...sections] } : {}),
    machine: { ...describeMachine(), load_average_at_start: loadAtStart },
    database: { server: redactUrl(databaseUrl), schema: BENCH_SCHEMA },
    ...summary.results,
    paired: paired ?? previous.paired,
    cold_start: coldStart ?? previous.coldStart,
    reconcile: reconcile ?? previousReconcile,
    targets,
  };
  await writeResults(out, results);

  if (consumer !== undefined) {
    console.log(
      `\nConsumer throughput: ${consumer.logins.toLocaleString('en-US')} logins by ${consumer.users.toLocaleString('en-US')} users, one PostgreSQL, one engine\n`,
    );
    console.log(variantTable(consumer.variants));
  }
  if (summary.otherRows.length > 0) {
    console.log('\nConsumer CPU, trigger and end to end\n');
    console.log(markdownTable(['measure', 'value'], summary.otherRows));
  }
  if (headline.pairedRows.length > 0) {
    console.log("\nPaired rounds (a b c a b c …): headline ratios and the Hasura side's CPU\n");
    console.log(markdownTable(['measure', 'value'], headline.pairedRows));
  }
  if (headline.coldStartRows.length > 0) {
    console.log('\nCold start: median of 7 fresh processes, beside a bare node:https handler\n');
    console.log(markdownTable([...COLD_START_HEADER], headline.coldStartRows));
  }
  console.log('\nTargets\n');
  console.log(targetTable(targets));
  console.log(`\nwritten to ${out}`);

  // The engine's own overhead (issue: ≤ 2× the raw SQL statement), in a process of its own.
  if (sections.has('engine')) {
    console.log('\nHasura-compatible engine: 100-row insert_users with on_conflict vs raw SQL\n');
    const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
    const script = fileURLToPath(new URL('./engineOverhead.ts', import.meta.url));
    const engine = spawnSync(tsx, [script, quick ? '100' : '300'], { stdio: 'inherit' });
    if (engine.status !== 0) throw new Error('the engine overhead is over its 2x budget');
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
