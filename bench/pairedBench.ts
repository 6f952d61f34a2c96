import { CONSUMER_NODE_OPTIONS, LAMBDA_NODE_OPTIONS } from '../infra/lambdaRuntime.js';
import { resetBenchSchema } from './benchSchema.js';
import { startBenchServer } from './benchServerProcess.js';
import { collectGarbage, round } from './benchStats.js';
import { type ClientResult, runClientJob } from './clientProcess.js';
import { engineDatabaseUrl, type HasuraSideCpu, openHasuraSideCpuMeter } from './hasuraSideCpu.js';
import { generateLoginStream, newestByUser } from './loginStream.js';
import { writeWithRawSql } from './rawSqlWriter.js';
import { openUsersTable } from './usersTableCheck.js';

/** The schema of the paired section (its own: the throughput section uses `bench_user_sync`). */
export const PAIRED_SCHEMA = 'bench_paired';

/** Options of {@link benchPairedThroughput}. */
export interface PairedBenchOptions {
  /** 1 for the full run, 0.1 for `--quick`. */
  readonly scale: number;
  /** The PostgreSQL server; it must run on this host (its backends' CPU is read from /proc). */
  readonly databaseUrl: string;
  /**
   * Rounds of (a), (b@100), (c).
   * @default 5
   */
  readonly rounds?: number;
  /** Called before each step, for progress. */
  readonly onStep?: (text: string) => void;
}

/** One round: (a), (b@100) and (c) one after the other, and their ratios. */
export interface PairedRound {
  readonly naive_users_per_s: number;
  readonly batched_users_per_s: number;
  readonly raw_sql_users_per_s: number;
  readonly batched_vs_naive: number;
  readonly batched_vs_raw_sql: number;
  /** CPU of the engine + its PostgreSQL backends per 1,000 logins, ms: (a). */
  readonly naive_hasura_cpu_ms_per_1000: number;
  /** The same for (b@100). */
  readonly batched_hasura_cpu_ms_per_1000: number;
  /** Engine and database apart, ms per 1,000 logins: (a) then (b@100). */
  readonly hasura_cpu_split_ms_per_1000: {
    readonly naive: { readonly engine: number; readonly database: number };
    readonly batched: { readonly engine: number; readonly database: number };
  };
  /**
   * CPU of (c)'s PostgreSQL backend per 1,000 logins, ms: the database's floor for the same rows
   * (the same upsert and triggers as (b), without Hasura).
   */
  readonly raw_sql_database_cpu_ms_per_1000: number;
  /** (a) ÷ (b@100) of the Hasura side's CPU per login. */
  readonly hasura_cpu_naive_vs_batched: number;
  /** Whether all three variants left the expected rows. */
  readonly rows_ok: boolean;
}

/** A median of per-round values and their range. */
export interface MedianWithRange {
  readonly median: number;
  readonly range: readonly [number, number];
}

/** Results of {@link benchPairedThroughput}. */
export interface PairedResults {
  readonly rounds: number;
  /** Logins of (a) per round (a prefix of the stream: the naive client is slow). */
  readonly naive_logins: number;
  /** Logins of (b@100) and (c) per round. */
  readonly logins: number;
  readonly users: number;
  readonly per_round: readonly PairedRound[];
  readonly naive_users_per_s: MedianWithRange;
  readonly batched_users_per_s: MedianWithRange;
  readonly raw_sql_users_per_s: MedianWithRange;
  readonly batched_vs_naive: MedianWithRange;
  readonly batched_vs_raw_sql: MedianWithRange;
  readonly naive_hasura_cpu_ms_per_1000: MedianWithRange;
  readonly batched_hasura_cpu_ms_per_1000: MedianWithRange;
  readonly raw_sql_database_cpu_ms_per_1000: MedianWithRange;
  readonly hasura_cpu_naive_vs_batched: MedianWithRange;
}

const ADMIN_SECRET = 'bench-admin-secret';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

const medianWithRange = (values: readonly number[], digits = 2): MedianWithRange => ({
  median: round(median(values), digits),
  range: [round(Math.min(...values), digits), round(Math.max(...values), digits)],
});

const wallOf = (result: ClientResult): number => {
  const run = result.runs[0];
  if (run === undefined) throw new Error('bench client reported no run');
  return run.wallMs;
};

const perThousand = (cpu: HasuraSideCpu, logins: number) => ({
  engine: round((cpu.engineMs / logins) * 1000, 1),
  database: round((cpu.databaseMs / logins) * 1000, 1),
});

/**
 * The headline ratios, decided by rounds rather than by one run each: (a) naive (one request
 * per login, 8 in flight), (b) the consumer at batch 100 (2 in flight, `guard` mode) and (c) raw
 * SQL (batches of 100 over one pg connection) run as alternating rounds (a b c a b c …) on one
 * PostgreSQL server and one engine (in its own process), the users table emptied before each
 * variant; each round gives its ratios, and the median of the rounds with their range is
 * reported, so the machine's drift from minute to minute weighs on every variant alike. Around
 * (a) and (b) the Hasura side's CPU is metered ({@link openHasuraSideCpuMeter}: the engine
 * process plus its PostgreSQL backends), per 1,000 logins: what a user's Hasura and database
 * pay, which the machine's phase barely moves. The clients of (a) and (b) run as deployed
 * (`runClientJob`), each warmed up in its own process before it is measured.
 */
export const benchPairedThroughput = async (
  options: PairedBenchOptions,
): Promise<PairedResults> => {
  const rounds = options.rounds ?? 5;
  const logins = Math.round(100_000 * options.scale);
  const users = Math.round(20_000 * options.scale);
  // (a) sends one request per login: a fifth of the stream still takes seconds per round.
  const naiveLogins = Math.round(logins / 5);
  const stream = generateLoginStream({ logins, users });
  const expected = newestByUser(stream);
  const expectedNaive = newestByUser(stream.slice(0, naiveLogins));
  const schema = PAIRED_SCHEMA;
  await resetBenchSchema(options.databaseUrl, schema);
  const engine = await startBenchServer({
    kind: 'engine',
    databaseUrl: engineDatabaseUrl(options.databaseUrl),
    schema,
    adminSecret: ADMIN_SECRET,
  });
  const table = await openUsersTable(options.databaseUrl, schema);
  const meter = await openHasuraSideCpuMeter(engine.pid, options.databaseUrl);
  const perRound: PairedRound[] = [];
  try {
    for (let round_ = 1; round_ <= rounds; round_ += 1) {
      const step = (name: string): void => options.onStep?.(`round ${round_}/${rounds}: ${name}`);
      const emptyAndMeter = async (): Promise<void> => {
        await table.truncate();
        collectGarbage();
        await meter.start();
      };

      step('(a) naive');
      const naive = await runClientJob(
        {
          kind: 'naive',
          graphqlUrl: engine.graphqlUrl,
          adminSecret: ADMIN_SECRET,
          logins,
          users,
          count: naiveLogins,
          concurrency: 8,
        },
        LAMBDA_NODE_OPTIONS,
        emptyAndMeter,
      );
      const naiveCpu = await meter.stop();
      const naiveOk = (await table.check(expectedNaive, 'presence')).ok;

      step('(b) consumer, batch 100');
      const batched = await runClientJob(
        {
          kind: 'consumer',
          graphqlUrl: engine.graphqlUrl,
          adminSecret: ADMIN_SECRET,
          logins,
          users,
          count: logins,
          writeMode: 'guard',
          batchSize: 100,
          inFlight: 2,
          warmUpPasses: 0,
          passes: 1,
        },
        CONSUMER_NODE_OPTIONS,
        emptyAndMeter,
      );
      const batchedCpu = await meter.stop();
      const batchedOk = (await table.check(expected, 'byEvent')).ok;

      step('(c) raw SQL');
      await emptyAndMeter();
      // Its connection is named like the engine's, so the meter reads its backend.
      const raw = await writeWithRawSql(
        engineDatabaseUrl(options.databaseUrl),
        schema,
        stream,
        100,
      );
      const rawCpu = await meter.stop();
      const rawOk = (await table.check(expected, 'byEvent')).ok;

      const naiveRate = naiveLogins / (wallOf(naive) / 1000);
      const batchedRate = logins / (wallOf(batched) / 1000);
      const rawRate = logins / (raw.wallMs / 1000);
      const naivePerThousand = perThousand(naiveCpu, naiveLogins);
      const batchedPerThousand = perThousand(batchedCpu, logins);
      const naiveTotal = naivePerThousand.engine + naivePerThousand.database;
      const batchedTotal = batchedPerThousand.engine + batchedPerThousand.database;
      perRound.push({
        naive_users_per_s: Math.round(naiveRate),
        batched_users_per_s: Math.round(batchedRate),
        raw_sql_users_per_s: Math.round(rawRate),
        batched_vs_naive: round(batchedRate / naiveRate, 2),
        batched_vs_raw_sql: round(batchedRate / rawRate, 3),
        naive_hasura_cpu_ms_per_1000: round(naiveTotal, 1),
        batched_hasura_cpu_ms_per_1000: round(batchedTotal, 1),
        hasura_cpu_split_ms_per_1000: { naive: naivePerThousand, batched: batchedPerThousand },
        raw_sql_database_cpu_ms_per_1000: perThousand(rawCpu, logins).database,
        hasura_cpu_naive_vs_batched: round(naiveTotal / batchedTotal, 2),
        rows_ok: naiveOk && batchedOk && rawOk,
      });
    }
  } finally {
    await meter.close();
    await table.close();
    await engine.stop();
    // Leave the shared database as found.
    await resetBenchSchema(options.databaseUrl, schema);
  }
  const series = (pick: (item: PairedRound) => number, digits = 2): MedianWithRange =>
    medianWithRange(perRound.map(pick), digits);
  return {
    rounds,
    naive_logins: naiveLogins,
    logins,
    users,
    per_round: perRound,
    naive_users_per_s: series((item) => item.naive_users_per_s, 0),
    batched_users_per_s: series((item) => item.batched_users_per_s, 0),
    raw_sql_users_per_s: series((item) => item.raw_sql_users_per_s, 0),
    batched_vs_naive: series((item) => item.batched_vs_naive),
    batched_vs_raw_sql: series((item) => item.batched_vs_raw_sql, 3),
    naive_hasura_cpu_ms_per_1000: series((item) => item.naive_hasura_cpu_ms_per_1000, 1),
    batched_hasura_cpu_ms_per_1000: series((item) => item.batched_hasura_cpu_ms_per_1000, 1),
    raw_sql_database_cpu_ms_per_1000: series((item) => item.raw_sql_database_cpu_ms_per_1000, 1),
    hasura_cpu_naive_vs_batched: series((item) => item.hasura_cpu_naive_vs_batched),
  };
};
