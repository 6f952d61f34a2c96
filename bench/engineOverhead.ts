/**
 * The local Hasura engine's overhead: one 100-row `insert_users` with `on_conflict` over HTTP
 * against the same upsert as one raw SQL statement on the same database (no HTTP, no GraphQL).
 * Prints mean and p50 per request and the ratios, on PGlite and — when DATABASE_URL is set (or
 * PostgreSQL answers at the default local URL) — on the real PostgreSQL server. On PGlite it
 * also times the engine in-process (everything but the loopback HTTP hop), because the raw
 * statement on an embedded database has no network hop at all to compare with.
 *
 * Usage: npx tsx bench/engineOverhead.ts [iterations]
 */
import { createServer } from 'node:http';
import { createEngineCore } from '../engine/src/engineCore.js';
import { type HasuraEngine, startHasuraEngine } from '../engine/src/server.js';

const ROWS = 100;
const USERS = 1000;
const iterations = Number(process.argv[2] ?? 200);
const WARMUP = 30;

const MUTATION = `mutation SyncUsers($objects: [users_insert_input!]!) {
  insert_users(objects: $objects, on_conflict: {constraint: users_pkey, update_columns: [username, email, last_seen_at, last_event_at, last_event_id]}) {
    returning { id }
  }
}`;

const RAW_COLUMNS = ['id', 'username', 'email', 'last_seen_at', 'last_event_at', 'last_event_id'];

/** The same upsert, written by hand: one statement, 500 parameters. */
const rawStatement = (rows: number): string => {
  const values: string[] = [];
  for (let r = 0; r < rows; r += 1) {
    const base = r * RAW_COLUMNS.length;
    values.push(
      `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::timestamptz, $${base + 5}::timestamptz, $${base + 6})`,
    );
  }
  return (
    `INSERT INTO users (${RAW_COLUMNS.join(', ')}) VALUES ${values.join(', ')} ` +
    `ON CONFLICT ON CONSTRAINT users_pkey DO UPDATE SET username = EXCLUDED.username, ` +
    `email = EXCLUDED.email, last_seen_at = EXCLUDED.last_seen_at, last_event_at = EXCLUDED.last_event_at, ` +
    `last_event_id = EXCLUDED.last_event_id ` +
    `RETURNING id`
  );
};

let clock = Date.parse('2026-01-01T00:00:00Z');
/** A batch of 100 distinct users, each with a newer login than any before (real updates). */
const batch = (seed: number): Record<string, string>[] =>
  Array.from({ length: ROWS }, (_, i) => {
    clock += 1;
    const user = (seed * ROWS + i) % USERS;
    return {
      id: `user-${user}`,
      username: `user${user}`,
      email: `user${user}@example.com`,
      last_seen_at: new Date(clock).toISOString(),
      last_event_at: new Date(clock).toISOString(),
      last_event_id: `event-${seed}-${i}`,
    };
  });

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Prints both paths and returns the ratio of medians (robust to load spikes of a shared box). */
const summarize = (label: string, engineTimes: number[], sqlTimes: number[]): number => {
  const ratio = percentile(engineTimes, 50) / percentile(sqlTimes, 50);
  console.log(
    `${label}: raw SQL p50 ${percentile(sqlTimes, 50).toFixed(2)} ms (mean ${mean(sqlTimes).toFixed(2)}), ` +
      `engine p50 ${percentile(engineTimes, 50).toFixed(2)} ms (mean ${mean(engineTimes).toFixed(2)}), ` +
      `ratio of medians ${ratio.toFixed(2)}x, of means ${(mean(engineTimes) / mean(sqlTimes)).toFixed(2)}x ` +
      `over ${iterations} requests of ${ROWS} rows`,
  );
  return ratio;
};

const measure = async (engine: HasuraEngine, label: string): Promise<number> => {
  const statement = rawStatement(ROWS);
  const viaEngine = async (seed: number) => {
    const response = await fetch(engine.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': 'bench' },
      body: JSON.stringify({ query: MUTATION, variables: { objects: batch(seed) } }),
    });
    const body = (await response.json()) as { data?: unknown };
    if (body.data === undefined) throw new Error(`engine error: ${JSON.stringify(body)}`);
  };
  const viaSql = async (seed: number) => {
    const params = batch(seed).flatMap((row) => RAW_COLUMNS.map((column) => row[column]));
    await engine.sql(statement, params);
  };
  for (let i = 0; i < WARMUP; i += 1) {
    await viaEngine(i);
    await viaSql(i + WARMUP);
  }
  const engineTimes: number[] = [];
  const sqlTimes: number[] = [];
  // Interleaved so that both paths see the same table size and machine load.
  for (let i = 0; i < iterations; i += 1) {
    let start = performance.now();
    await viaEngine(1000 + 2 * i);
    engineTimes.push(performance.now() - start);
    start = performance.now();
    await viaSql(1001 + 2 * i);
    sqlTimes.push(performance.now() - start);
  }
  return summarize(label, engineTimes, sqlTimes);
};

/** The engine's own cost: the same request through the executor, without the HTTP hop. */
const measureInProcess = async (): Promise<number> => {
  const core = await createEngineCore();
  const session = { role: 'admin', variables: {}, isAdminSecret: true };
  const statement = rawStatement(ROWS);
  const viaEngine = (seed: number) =>
    core.executor.run({ query: MUTATION, variables: { objects: batch(seed) } }, session);
  const viaSql = (seed: number) =>
    core.db.query(
      statement,
      batch(seed).flatMap((row) => RAW_COLUMNS.map((column) => row[column])),
    );
  try {
    for (let i = 0; i < WARMUP; i += 1) {
      await viaEngine(i);
      await viaSql(i + WARMUP);
    }
    const engineTimes: number[] = [];
    const sqlTimes: number[] = [];
    const engineCpu: number[] = [];
    const sqlCpu: number[] = [];
    // CPU time of this process as well as wall time: PGlite runs in-process, so CPU time is its
    // cost, unaffected by other processes competing for the cores.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    for (let i = 0; i < iterations; i += 1) {
      let cpu = process.cpuUsage();
      let start = performance.now();
      await viaEngine(1000 + 2 * i);
      engineTimes.push(performance.now() - start);
      engineCpu.push(cpuMs(cpu));
      cpu = process.cpuUsage();
      start = performance.now();
      await viaSql(1001 + 2 * i);
      sqlTimes.push(performance.now() - start);
      sqlCpu.push(cpuMs(cpu));
    }
    summarize('PGlite, engine in-process (no HTTP), wall time', engineTimes, sqlTimes);
    return summarize('PGlite, engine in-process (no HTTP), CPU time', engineCpu, sqlCpu);
  } finally {
    await core.db.close();
  }
};

/**
 * Control: the raw statement behind a bare Node HTTP server (parse JSON, run SQL, answer),
 * against the engine over HTTP. On a loaded machine the loopback hop with a 12 kB body costs
 * several ms whatever runs behind it; this isolates what the engine adds on top.
 */
const measureHttpControl = async (): Promise<number> => {
  const engine = await startHasuraEngine({ adminSecret: 'bench' });
  const statement = rawStatement(ROWS);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { objects } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        objects: Record<string, string>[];
      };
      const params = objects.flatMap((row) => RAW_COLUMNS.map((column) => row[column]));
      engine.sql<{ id: string }>(statement, params).then(
        (rows) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ returning: rows }));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
  const viaEngine = async (seed: number) => {
    const response = await fetch(engine.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': 'bench' },
      body: JSON.stringify({ query: MUTATION, variables: { objects: batch(seed) } }),
    });
    await response.text();
  };
  const viaBare = async (seed: number) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objects: batch(seed) }),
    });
    await response.text();
  };
  try {
    for (let i = 0; i < WARMUP; i += 1) {
      await viaEngine(i);
      await viaBare(i + WARMUP);
    }
    const engineTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < iterations; i += 1) {
      let start = performance.now();
      await viaEngine(1000 + 2 * i);
      engineTimes.push(performance.now() - start);
      start = performance.now();
      await viaBare(1001 + 2 * i);
      bareTimes.push(performance.now() - start);
    }
    return summarize(
      'PGlite, engine over HTTP vs raw SQL behind a bare HTTP server',
      engineTimes,
      bareTimes,
    );
  } finally {
    await new Promise<void>((done) => server.close(() => done()));
    await engine.stop();
  }
};

const run = async (label: string, databaseUrl?: string): Promise<number> => {
  const schema = databaseUrl === undefined ? 'public' : `bench_engine_${process.pid}`;
  const engine = await startHasuraEngine({ adminSecret: 'bench', databaseUrl, schema });
  try {
    return await measure(engine, label);
  } finally {
    if (databaseUrl !== undefined) {
      await engine.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    }
    await engine.stop();
  }
};

const ratios = [await measureInProcess(), await measureHttpControl()];
// Shown for information: an embedded raw statement has no network hop to compare with.
await run('PGlite, engine over HTTP vs embedded raw SQL (information)');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
try {
  ratios.push(await run('PostgreSQL', databaseUrl));
} catch (error) {
  console.log(`PostgreSQL: skipped (${error instanceof Error ? error.message : String(error)})`);
}
const worst = Math.max(...ratios);
console.log(
  `worst ratio ${worst.toFixed(2)}x (budget 2.00x): ${worst <= 2 ? 'OK' : 'OVER BUDGET'}`,
);
process.exitCode = worst <= 2 ? 0 : 1;
