import type { VariantResult } from './benchReport.js';
import { startBenchServer } from './benchServerProcess.js';
import { round, sampleRss, summarize } from './benchStats.js';
import { createBenchConsumer, runConsumer } from './consumerWriter.js';
import { generateLoginStream, newestByUser, toSqsRecords } from './loginStream.js';
import { writeNaively } from './naiveWriter.js';
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
  note?: string,
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
    ...(note === undefined ? {} : { note }),
  };
};

/**
 * Consumer throughput, side by side on ONE PostgreSQL server and ONE engine (in its own
 * process), the same stream for every variant, the users table emptied in between:
 * (a) naive, one request per login, 8 in flight; (b) the real consumer at batch 10 and 100,
 * 2 batches in flight, in `guard` mode, and at batch 100 in `where` mode (trigger disabled);
 * (c) raw SQL, batches of 100 over one pg connection.
 */
export const benchConsumerThroughput = async (
  options: ConsumerBenchOptions,
): Promise<ConsumerBenchResults> => {
  const logins = Math.round(100_000 * options.scale);
  const users = Math.round(20_000 * options.scale);
  const stream = generateLoginStream({ logins, users });
  const records = toSqsRecords(stream);
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
      run: () => Promise<{ wallMs: number; batchMs: number[]; requests?: number }>,
      checkMode: 'byEvent' | 'presence',
      note?: string,
    ): Promise<void> => {
      options.onVariant?.(name);
      await table.truncate();
      const before = await engine.requestCount();
      global.gc?.();
      const rss = sampleRss();
      const outcome = await run();
      const peak = rss.stop();
      const requests = outcome.requests ?? (await engine.requestCount()) - before;
      const check = await table.check(expected, checkMode);
      const checkNote = check.ok
        ? note
        : `${note ?? ''} rows ${check.rows}, missing ${check.missing}, wrong ${check.wrong}`.trim();
      variants.push(
        variantOf(name, logins, outcome.wallMs, requests, outcome.batchMs, peak, check.ok, checkNote),
      );
    };

    const guard = createBenchConsumer({ graphqlUrl: engine.graphqlUrl, adminSecret: ADMIN_SECRET });
    // Warm-up (JIT, connection pools, the engine's plan cache), then empty the table again.
    await runConsumer(guard, records.slice(0, Math.min(2000, records.length)), 100, 2);

    await measure(
      '(a) naive: 1 request per login, 8 in flight',
      async () => {
        const run = await writeNaively(engine.graphqlUrl, ADMIN_SECRET, stream, 8);
        return { wallMs: run.wallMs, batchMs: run.requestMs };
      },
      'presence',
      'sends last_seen_at too (the table requires it); never updates a row',
    );
    for (const batchSize of [10, 100]) {
      await measure(
        `(b) consumer, batch ${batchSize}, 2 in flight (guard)`,
        () => runConsumer(guard, records, batchSize, 2),
        'byEvent',
      );
    }
    const where = createBenchConsumer({
      graphqlUrl: engine.graphqlUrl,
      adminSecret: ADMIN_SECRET,
      writeMode: 'where',
    });
    await table.setGuardTrigger(false);
    try {
      await runConsumer(where, records.slice(0, Math.min(2000, records.length)), 100, 2);
      await measure(
        '(b) consumer, batch 100, 2 in flight (where)',
        () => runConsumer(where, records, 100, 2),
        'byEvent',
        'SYNC_WRITE_MODE=where, newest-wins trigger disabled',
      );
    } finally {
      await table.setGuardTrigger(true);
    }
    await measure(
      '(c) raw SQL, batch 100, 1 pg connection',
      async () => {
        const run = await writeWithRawSql(options.databaseUrl, options.schema, stream, 100);
        return { wallMs: run.wallMs, batchMs: run.batchMs, requests: 0 };
      },
      'byEvent',
      'INSERT … ON CONFLICT DO UPDATE, newest wins by the same trigger; no Hasura',
    );
  } finally {
    await table.close();
    await engine.stop();
  }
  return { logins, users, variants };
};

/** Results of {@link benchConsumerCpu}. */
export interface ConsumerCpuResults {
  readonly records: number;
  /** Records per second of wall time, 2 batches in flight. */
  readonly wall_records_per_s: number;
  /** Records per second of the consumer process's CPU time (user + system). */
  readonly records_per_cpu_s: number;
  readonly batch_p50_ms: number;
  readonly batch_p99_ms: number;
}

/**
 * The consumer's own CPU cost: the real consumer at batch 100 against a server (in another
 * process) that answers every insert at once.
 */
export const benchConsumerCpu = async (scale: number): Promise<ConsumerCpuResults> => {
  const stream = generateLoginStream({
    logins: Math.round(100_000 * scale),
    users: Math.round(20_000 * scale),
  });
  const records = toSqsRecords(stream);
  const server = await startBenchServer({ kind: 'instant' });
  try {
    const consumer = createBenchConsumer({ graphqlUrl: server.graphqlUrl, adminSecret: ADMIN_SECRET });
    await runConsumer(consumer, records.slice(0, Math.min(5000, records.length)), 100, 2);
    global.gc?.();
    const run = await runConsumer(consumer, records, 100, 2);
    const latency = summarize(run.batchMs);
    return {
      records: records.length,
      wall_records_per_s: Math.round(records.length / (run.wallMs / 1000)),
      records_per_cpu_s: Math.round(records.length / (run.cpuMs / 1000)),
      batch_p50_ms: latency.p50,
      batch_p99_ms: latency.p99,
    };
  } finally {
    await server.stop();
  }
};
