import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A GraphQL server running in a child process ({@link startBenchServer}). */
export interface BenchServer {
  /** `http://127.0.0.1:<port>/v1/graphql`. */
  readonly graphqlUrl: string;
  /** The child's pid (for its CPU/RSS, and so the caller can tell it apart). */
  readonly pid: number;
  /** Requests served to `/v1/graphql` so far. */
  requestCount(): Promise<number>;
  /** Raw SQL on the engine's database (engine only). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops listening and drops connections; data is kept (engine only). */
  suspend(): Promise<void>;
  /** Listens again on the same port (engine only). */
  resume(): Promise<void>;
  /** Stops the server and waits for the child to exit. */
  stop(): Promise<void>;
}

/** Options of {@link startBenchServer}. */
export interface BenchServerOptions {
  /** `engine`: the project's Hasura-compatible engine; `instant`: canned instant answers. */
  readonly kind: 'engine' | 'instant';
  /**
   * PostgreSQL the engine uses.
   * @default - embedded PGlite
   */
  readonly databaseUrl?: string;
  /**
   * Postgres schema the engine applies the project into.
   * @default 'public'
   */
  readonly schema?: string;
  /**
   * Admin secret the engine requires.
   * @default - none (open admin access, like Hasura without HASURA_GRAPHQL_ADMIN_SECRET)
   */
  readonly adminSecret?: string;
}

const childEntry = fileURLToPath(new URL('./benchServerChild.ts', import.meta.url));

const waitForExit = (child: ChildProcess, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Forks {@link childEntry} under tsx and waits until its server listens.
 *
 * @example
 * const engine = await startBenchServer({ kind: 'engine', databaseUrl, schema: 'bench' });
 */
export const startBenchServer = async (options: BenchServerOptions): Promise<BenchServer> => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  if (options.schema !== undefined) env.BENCH_SCHEMA = options.schema;
  if (options.adminSecret !== undefined) env.HASURA_GRAPHQL_ADMIN_SECRET = options.adminSecret;
  // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of the server process there (see docs).
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const child = fork(childEntry, [options.kind], {
    execArgv: [
      '--import',
      'tsx',
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`bench ${options.kind} server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (message: Record<string, unknown>) => {
      if (message.type === 'ready') {
        child.off('exit', onExit);
        resolve(String(message.graphqlUrl));
      } else if (message.type === 'failed') {
        reject(new Error(`bench ${options.kind} server failed: ${String(message.error)}`));
      } else if (typeof message.id === 'number') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(String(message.error)));
        else waiter?.resolve(message.result);
      }
    });
  });

  const call = (op: string, args: unknown[] = []): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId;
      nextId += 1;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args });
    });

  return {
    graphqlUrl,
    pid: child.pid ?? 0,
    requestCount: async () => Number(await call('requestCount')),
    sql: async <T>(text: string, params: unknown[] = []) =>
      (await call('sql', [text, params])) as T[],
    suspend: async () => {
      await call('suspend');
    },
    resume: async () => {
      await call('resume');
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.connected) {
        await Promise.race([call('stop'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      await waitForExit(child, 5000);
    },
  };
};
