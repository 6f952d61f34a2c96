import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A moto server started by {@link startMotoServer}. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /**
   * Port to listen on.
   * @default - a free loopback port
   */
  readonly port?: number;
  /**
   * The virtualenv holding `moto_server`.
   * @default - `MOTO_VENV` or `.venv-moto` at the repository root (made by `local/setup-moto.sh`)
   */
  readonly venv?: string;
  /**
   * How long to wait for the server to answer.
   * @default 20000
   */
  readonly startTimeoutMs?: number;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export const freePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const waitForExit = (child: ChildProcess, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/**
 * Starts `moto_server` from the project's virtualenv on a loopback port and waits until it
 * answers. The child dies with this process: it is killed on `stop()` and on process exit.
 *
 * @example
 * const moto = await startMotoServer();
 * process.env.AWS_ENDPOINT_URL = moto.endpoint;
 * // … provision and test …
 * await moto.stop();
 */
export const startMotoServer = async (options: MotoServerOptions = {}): Promise<MotoServer> => {
  const venv = options.venv ?? process.env.MOTO_VENV ?? `${repoRoot}.venv-moto`;
  const binary = `${venv}/bin/moto_server`;
  if (!existsSync(binary)) {
    throw new Error(`moto_server not found at ${binary}: run "npm run setup:local" first`);
  }
  const port = options.port ?? (await freePort());
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode}: ${stderr.trim()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} in time: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint,
    port,
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 2000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
    },
  };
};
