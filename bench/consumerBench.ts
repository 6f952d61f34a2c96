import { CONSUMER_NODE_OPTIONS, LAMBDA_NODE_OPTIONS } from '../infra/lambdaRuntime.js';
import type { VariantResult } from './benchReport.js';
import { resetBenchSchema } from './benchSchema.js';
import { startBenchServer } from './benchServerProcess.js';
import { collectGarbage, round, sampleRss, summarize } from './benchStats.js';
import { type ClientResult, runClientJob } from './clientProcess.js';
import { generateLoginStream, newestByUser } from './loginStream.js';
import { writeWithRawSql } from './rawSqlWriter.js';
import { openUsersTable } from './usersTableCheck.js';

/** Options of {@link benchConsumerThroughput}. */
export interface ConsumerBenchOptions {
  /** 1 for the full run (100,000 logins by 20,000 users), 0.1 for `--quick`. */
  readonly scale: number;
  /** The PostgreSQL server every variant writes to. */
  readonly databaseUrl: string;
  /** The dedicated schema the engine applies the project into (dropped first). */
  readonly schema: string;
  /** Called before each variant, for progress. */
  readonly onVariant?: (name: string) => void;
}

/** Results of {@link benchConsumerThroughput}. */
export interface ConsumerBenchResults {
  readonly logins: number;
  readonly users: number;
  readonly variants: VariantResult[];
}

const ADMIN_SECRET = 'bench-admin-secret';

/** A variant's figures from its timings. */
const variantOf = (
  name: string,
  events: number,
  wallMs: number,
  requests: number,
  batchMs: readonly number[],
  peakRssMiB: number,
  correct: boolean,
): VariantResult => {
  const latency = summarize(batchMs);
  return {
    name,
    events,
    wall_ms: Math.round(wallMs),
    users_per_s: Math.round(events / (wallMs / 1000)),
    hasura_requests: requests,
    requests_per_1000_events: round((requests / events) * 1000, 2),
    batch_p50_ms: latency.p50,
    batch_p99_ms: latency.p99,
    peak_rss_mib: peakRssMiB,
    correct,
  };
};

/** What a measured variant ran. */
interface VariantOutcome {
  readonly wallMs: number;
  readonly batchMs: readonly number[];
  /** Requests sent, when not counted by the engine. */
  readonly requests?: number;
  readonly failedRecords?: number;
  readonly unresolved?: number;
  /** Peak RSS of the client's own process, MiB (child clients report theirs). */
  readonly peakRssMiB?: number;
}

/**
 * Consumer throughput, side by side on ONE PostgreSQL server and ONE engine (in its own
 * process), the same stream for every variant, the users table emptied in between:
 * (a) naive, one request per login, 8 in flight; (b) the real consumer at batch 10 and 100,
 * 2 batches in flight, in `guard` mode, and at batch 100 in `where` mode (trigger disabled);
 * (c) raw SQL, batches of 100 over one pg connection. The clients of (a) and (b) run as the
 * deployed functions would ({@link runClientJob}: a Lambda-like bundle in its own process, the
 * functions' `NODE_OPTIONS`), each warmed up before it is measured.
 */
export const benchConsumerThroughput = async (
  options: ConsumerBenchOptions,
): Promise<ConsumerBenchResults> => {
  const logins = Math.round(100_000 * options.scale);
  const users = Math.round(20_000 * options.scale);
  const stream = generateLoginStream({ logins, users });
  const expected = newestByUser(stream);
  const engine = await startBenchServer({
    kind: 'engine',
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    adminSecret: ADMIN_SECRET,
  });
  const table = await openUsersTable(options.databaseUrl, options.schema);
  const variants: VariantResult[] = [];
  try {
    const measure = async (
      name: string,
      run: (prepare: () => Promise<void>) => Promise<VariantOutcome>,
      checkMode: 'byEvent' | 'presence',
      note?: string,
      subset: { events: number; expected: typeof expected } = { events: logins, expected },
    ): Promise<void> => {
      options.onVariant?.(name);
      let before = 0;
      const prepare = async (): Promise<void> => {
        await table.truncate();
        before = await engine.requestCount();
      };
      collectGarbage();
      const rss = sampleRss();
      const outcome = await run(prepare);
      const ownPeak = rss.stop();
      const requests = outcome.requests ?? (await engine.requestCount()) - before;
      const check = await table.check(subset.expected, checkMode);
      const notes = [note];
      if ((outcome.failedRecords ?? 0) > 0) {
        notes.push(
          `${outcome.failedRecords} records failed on first delivery and were redelivered` +
            (outcome.unresolved === 0 ? '' : `, ${outcome.unresolved} still failing`),
        );
      }
      if (!check.ok)
        notes.push(`rows ${check.rows}, missing ${check.missing}, wrong ${check.wrong}`);
      const text = notes.filter((item) => item !== undefined && item !== '').join('; ');
      variants.push({
        ...variantOf(
          name,
          subset.events,
          outcome.wallMs,
          requests,
          [...outcome.batchMs],
          outcome.peakRssMiB ?? ownPeak,
          check.ok,
        ),
        failed_first_delivery: outcome.failedRecords ?? 0,
        ...(text === '' ? {} : { note: text }),
      });
    };
    const fromChild = (result: ClientResult): VariantOutcome => {
      const run = result.runs[0];
      if (run === undefined) throw new Error('bench client reported no run');
      return {
        wallMs: run.wallMs,
        batchMs: run.batchMs,
        failedRecords: run.failedRecords,
        unresolved: run.unresolved,
        peakRssMiB: round(result.maxRssKiB / 1024, 1),
      };
    };
    const consumerVariant = async (
      label: string,
      writeMode: 'guard' | 'where',
      batchSize: number,
      note?: string,
      count: number = logins,
    ): Promise<void> => {
      const subset = {
        events: count,
        expected: count === logins ? expected : newestByUser(stream.slice(0, count)),
      };
      const prefix =
        count === logins
          ? undefined
          : `first ${count.toLocaleString('en-US')} logins of the stream`;
      await measure(
        label,
        async (prepare) =>
          fromChild(
            await runClientJob(
              {
                kind: 'consumer',
                graphqlUrl: engine.graphqlUrl,
                adminSecret: ADMIN_SECRET,
                logins,
                users,
                count,
                writeMode,
                batchSize,
                inFlight: 2,
                warmUpPasses: 0,
                passes: 1,
              },
              CONSUMER_NODE_OPTIONS,
              prepare,
            ),
          ),
        'byEvent',
        [note, prefix].filter((item) => item !== undefined).join('; '),
        subset,
      );
    };

    await measure(
      '(a) naive: 1 request per login, 8 in flight',
      async (prepare) =>
        fromChild(
          await runClientJob(
            {
              kind: 'naive',
              graphqlUrl: engine.graphqlUrl,
              adminSecret: ADMIN_SECRET,
              logins,
              users,
              concurrency: 8,
            },
            LAMBDA_NODE_OPTIONS,
            prepare,
          ),
        ),
      'presence',
      'sends last_seen_at too (the table requires it); never updates a row',
    );
    await consumerVariant('(b) consumer, batch 10, 2 in flight (guard)', 'guard', 10);
    await consumerVariant('(b) consumer, batch 100, 2 in flight (guard)', 'guard', 100);
    // The where mode runs one statement per user and is slow: on the full run it gets a
    // 20,000-login prefix.
    const whereLogins = Math.min(logins, 20_000);
    await table.setGuardTrigger(false);
    try {
      await consumerVariant(
        '(b) consumer, batch 100, 2 in flight (where)',
        'where',
        100,
        'SYNC_WRITE_MODE=where, newest-wins trigger disabled',
        whereLogins,
      );
    } finally {
      await table.setGuardTrigger(true);
    }
    await measure(
      '(c) raw SQL, batch 100, 1 pg connection',
      async (prepare) => {
        await prepare();
        const run = await writeWithRawSql(options.databaseUrl, options.schema, stream, 100);
        return { wallMs: run.wallMs, batchMs: run.batchMs, requests: 0 };
      },
      'byEvent',
      'INSERT … ON CONFLICT DO UPDATE, newest wins by the same trigger; no Hasura',
    );
  } finally {
    await table.close();
    await engine.stop();
    // Leave the shared database as found.
    await resetBenchSchema(options.databaseUrl, options.schema);
  }
  return { logins, users, variants };
};

/** Figures of one consumer process, one set of Node options. */
export interface ConsumerCpuFigures {
  /** `NODE_OPTIONS` the consumer ran with. */
  readonly node_options: string;
  /** Records per second of the consumer process's CPU time (user + system), median pass. */
  readonly records_per_cpu_s: number;
  /** The slowest and the fastest measured pass, records per CPU-second. */
  readonly records_per_cpu_s_range: readonly [number, number];
  /** Records per second of wall time of the median pass, 2 batches in flight. */
  readonly wall_records_per_s: number;
  readonly batch_p50_ms: number;
  readonly batch_p99_ms: number;
  /** Peak resident set of the consumer process, MiB. */
  readonly peak_rss_mib: number;
}

/** Results of {@link benchConsumerCpu}: the deployed settings, and V8's default young generation. */
export interface ConsumerCpuResults extends ConsumerCpuFigures {
  readonly records: number;
  /** Measured passes over the stream (after the warm-up passes); figures are their median. */
  readonly passes: number;
  /** The same consumer with `LAMBDA_NODE_OPTIONS` only (V8's default semi-spaces). */
  readonly default_young_generation: ConsumerCpuFigures;
  /**
   * The same consumer with the previous Hasura client (`bench/previousHasuraClient.ts`), its
   * passes alternating with the shipped client's in one process.
   */
  readonly previous_client?: ConsumerCpuFigures;
  /** Median of the per-pair ratios shipped ÷ previous (records per CPU-second), and their range. */
  readonly vs_previous_client?: {
    readonly median: number;
    readonly range: readonly [number, number];
  };
}

/** Unmeasured passes over the stream before the measured ones. */
const WARM_UP_PASSES = 2;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const perCpuSecondOf = (records: number, runs: ClientResult['runs']): number[] =>
  runs.map((run) => Math.round(records / (run.cpuMs / 1000)));

const figuresOf = (
  nodeOptions: string,
  result: ClientResult,
  hasuraClient = 'graphql-request',
): ConsumerCpuFigures => {
  const runs = result.runs.filter(
    (run) => (run.hasuraClient ?? 'graphql-request') === hasuraClient,
  );
  const perCpuSecond = perCpuSecondOf(result.records, runs);
  const middle = runs[perCpuSecond.indexOf(median(perCpuSecond))];
  if (middle === undefined) throw new Error('benchConsumerCpu: passes must be at least 1');
  const latency = summarize(middle.batchMs);
  return {
    node_options: nodeOptions,
    records_per_cpu_s: median(perCpuSecond),
    records_per_cpu_s_range: [Math.min(...perCpuSecond), Math.max(...perCpuSecond)],
    wall_records_per_s: Math.round(result.records / (middle.wallMs / 1000)),
    batch_p50_ms: latency.p50,
    batch_p99_ms: latency.p99,
    peak_rss_mib: round(result.maxRssKiB / 1024, 1),
  };
};

/**
 * The consumer's own CPU cost: the real consumer at batch 100 against a server (in another
 * process) that answers every insert at once. The consumer runs as it is deployed: bundled like
 * the Lambda ({@link runClientJob}), in a process of its own, with the function's
 * `NODE_OPTIONS` (`CONSUMER_NODE_OPTIONS`); then again with `LAMBDA_NODE_OPTIONS` only, to show
 * what the larger young generation buys. A warm container is what matters at volume, so
 * {@link WARM_UP_PASSES} whole passes warm the JIT up (V8 keeps getting faster over the first
 * few hundred thousand records), then `passes` passes are measured and the median reported:
 * timings here vary by ±15 % from pass to pass.
 */
export const benchConsumerCpu = async (scale: number, passes = 5): Promise<ConsumerCpuResults> => {
  const server = await startBenchServer({ kind: 'instant' });
  try {
    const job = {
      kind: 'consumer',
      graphqlUrl: server.graphqlUrl,
      adminSecret: ADMIN_SECRET,
      logins: Math.round(100_000 * scale),
      users: Math.round(20_000 * scale),
      count: Math.round(100_000 * scale),
      writeMode: 'guard',
      batchSize: 100,
      inFlight: 2,
      warmUpPasses: WARM_UP_PASSES,
      passes,
    } as const;
    const deployed = await runClientJob(
      { ...job, hasuraClients: ['graphql-request', 'previous'] },
      CONSUMER_NODE_OPTIONS,
    );
    const defaults = await runClientJob(job, LAMBDA_NODE_OPTIONS);
    // Pass i of each client ran next to pass i of the other (order alternating).
    const shipped = perCpuSecondOf(
      deployed.records,
      deployed.runs.filter((run) => run.hasuraClient === 'graphql-request'),
    );
    const previous = perCpuSecondOf(
      deployed.records,
      deployed.runs.filter((run) => run.hasuraClient === 'previous'),
    );
    const pairRatios = shipped.map((value, index) => round(value / (previous[index] ?? NaN), 3));
    return {
      records: deployed.records,
      passes,
      ...figuresOf(CONSUMER_NODE_OPTIONS, deployed),
      default_young_generation: figuresOf(LAMBDA_NODE_OPTIONS, defaults),
      previous_client: figuresOf(CONSUMER_NODE_OPTIONS, deployed, 'previous'),
      vs_previous_client: {
        median: median(pairRatios),
        range: [Math.min(...pairRatios), Math.max(...pairRatios)],
      },
    };
  } finally {
    await server.stop();
  }
};
