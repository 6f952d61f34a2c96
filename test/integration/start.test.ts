import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';

jest.setTimeout(90_000);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const databaseUrl = process.env.DATABASE_URL;
const schema = `it_start_${process.pid}`;

/** `npm start` without npm: the same entry point, run by tsx. */
const startScript = (
  args: readonly string[],
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } => {
  const child = spawn(`${repoRoot}node_modules/.bin/tsx`, ['local/start.ts', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // On a shared PostgreSQL the run gets a schema of its own.
      ...(databaseUrl === undefined ? {} : { DATABASE_SCHEMA: schema }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
};

/** Whether something still answers on the URL. */
const answers = async (url: string): Promise<boolean> => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
};

const endpointsOf = (output: string): string[] =>
  [...output.matchAll(/(?:AWS \(moto\)|Hasura GraphQL)\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map(
    (match) => match[1] ?? '',
  );

describe('Function: npm start (local/start.ts)', () => {
  let running: ChildProcess | undefined;

  afterEach(() => {
    if (running?.exitCode === null) running.kill('SIGKILL');
    running = undefined;
  });

  afterAll(async () => {
    if (databaseUrl === undefined) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('syncs every simulated sign-in, prints the summary and exits 0 with --once, leaving no server behind', async () => {
    // Act
    const run = startScript(['--once', '--logins', '60', '--users', '20']);
    running = run.child;
    const code = await run.exit;

    // Assess
    const output = run.output();
    expect(code).toBe(0);
    expect(output).toMatch(
      /logins published\s+60 \(EventBridge \d+, via fallback to SQS \d+, lost 0\)/,
    );
    expect(output).toMatch(/users in Hasura\s+20 \(every simulated user up to date\)/);
    expect(output).toMatch(/sync DLQ depth\s+0/);
    expect(output).toMatch(/sync lag\s+p50 \d+ ms, p99 \d+ ms/);
    expect(output).toMatch(/Hasura requests\s+\d+ by user-sync/);
    expect(output).toMatch(/second subscriber\s+\d+ login events received/);
    const endpoints = endpointsOf(output);
    expect(endpoints).toHaveLength(2);
    for (const endpoint of endpoints) expect(await answers(endpoint)).toBe(false);
  });

  it('keeps serving after the summary and stops everything on Ctrl-C', async () => {
    // Prepare
    const run = startScript(['--logins', '3', '--users', '3']);
    running = run.child;
    const deadline = Date.now() + 60_000;
    while (!run.output().includes('Serving. Press Ctrl-C to stop.') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const endpoints = endpointsOf(run.output());
    const servingBefore = await Promise.all(endpoints.map((endpoint) => answers(endpoint)));

    // Act
    run.child.kill('SIGINT');
    const code = await run.exit;

    // Assess
    expect(servingBefore).toEqual([true, true]);
    expect(code).toBe(0);
    for (const endpoint of endpoints) expect(await answers(endpoint)).toBe(false);
  });
});
