import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** `application_name` of the engine's PostgreSQL connections, so its backends can be found. */
export const ENGINE_APPLICATION_NAME = 'chs-bench-engine';

/**
 * `databaseUrl` with {@link ENGINE_APPLICATION_NAME} as its `application_name`: what the
 * benchmark's engine connects with.
 */
export const engineDatabaseUrl = (databaseUrl: string): string => {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', ENGINE_APPLICATION_NAME);
  return url.toString();
};

/** CPU the Hasura side used during one measurement. */
export interface HasuraSideCpu {
  /** The engine process (user + system), ms. */
  readonly engineMs: number;
  /** The engine's PostgreSQL backends together, ms. */
  readonly databaseMs: number;
  /** Backends seen during the measurement. */
  readonly backends: number;
}

/** Measures the Hasura side's CPU between `start()` and `stop()`. */
export interface HasuraSideCpuMeter {
  start(): Promise<void>;
  stop(): Promise<HasuraSideCpu>;
  close(): Promise<void>;
}

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux x86-64 and arm64). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process, ms, from `/proc/<pid>/stat`; `undefined` once it is gone. */
export const processCpuMs = async (pid: number): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) are the 12th and 13th after the command.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
};

/**
 * A meter of what a user's Hasura and database pay: CPU of the engine process (`enginePid`)
 * plus CPU of the PostgreSQL backends serving it (found in `pg_stat_activity` by
 * {@link ENGINE_APPLICATION_NAME}, read from `/proc`, so PostgreSQL must run on this host, as
 * `npm run bench` runs it). The backends are sampled every `intervalMs` while the meter runs,
 * so one that opens during the measurement counts from zero and one that closes keeps its
 * last sample (the pool closes only idle connections).
 *
 * @param enginePid - the engine's process.
 * @param databaseUrl - the PostgreSQL server (a connection of the meter's own, not counted).
 * @param intervalMs - the sampling period.
 * @default intervalMs 200
 */
export const openHasuraSideCpuMeter = async (
  enginePid: number,
  databaseUrl: string,
  intervalMs = 200,
): Promise<HasuraSideCpuMeter> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let startEngine = 0;
  let startBackends = new Map<number, number>();
  let lastBackends = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  let sampling: Promise<void> = Promise.resolve();
  const sampleBackends = async (): Promise<Map<number, number>> => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [ENGINE_APPLICATION_NAME],
    );
    const sampled = new Map<number, number>();
    for (const { pid } of rows) {
      const cpu = await processCpuMs(pid);
      if (cpu !== undefined) sampled.set(pid, cpu);
    }
    return sampled;
  };
  const sample = (): void => {
    sampling = sampling.then(async () => {
      for (const [pid, cpu] of await sampleBackends()) lastBackends.set(pid, cpu);
    });
  };
  return {
    async start() {
      startEngine = (await processCpuMs(enginePid)) ?? 0;
      startBackends = await sampleBackends();
      lastBackends = new Map(startBackends);
      timer = setInterval(sample, intervalMs);
    },
    async stop() {
      clearInterval(timer);
      sample();
      await sampling;
      const engineMs = ((await processCpuMs(enginePid)) ?? startEngine) - startEngine;
      let databaseMs = 0;
      for (const [pid, cpu] of lastBackends) databaseMs += cpu - (startBackends.get(pid) ?? 0);
      return { engineMs, databaseMs, backends: lastBackends.size };
    },
    async close() {
      clearInterval(timer);
      await client.end();
    },
  };
};
