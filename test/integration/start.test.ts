import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';

jest.setTimeout(90_000);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const databaseUrl = process.env.DATABASE_URL;
/** Schemas of the runs on a shared PostgreSQL, one per run, dropped at the end. */
const schemas: string[] = [];

const newSchema = (): string => {
  const schema = `it_start_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  return schema;
};

/** `npm start` without npm: the same entry point, run by tsx. */
const startScript = (
  args: readonly string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } => {
  const child = spawn(`${repoRoot}node_modules/.bin/tsx`, ['local/start.ts', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // On a shared PostgreSQL every run gets a schema of its own.
      ...(databaseUrl === undefined ? {} : { DATABASE_SCHEMA: newSchema() }),
      ...env,
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
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('syncs every sign-in, prints the summary, keeps serving, and stops everything on Ctrl-C', async () => {
    // Prepare
    const run = startScript(['--logins', '60', '--users', '20']);
    running = run.child;
    const deadline = Date.now() + 60_000;
    while (!run.output().includes('Serving. Press Ctrl-C to stop.') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const output = run.output();
    const endpoints = endpointsOf(output);
    const servingBefore = await Promise.all(endpoints.map((endpoint) => answers(endpoint)));

    // Act
    run.child.kill('SIGINT');
    const code = await run.exit;

    // Assess
    expect(output).toMatch(
      /logins published\s+60 \(EventBridge \d+, via fallback to SQS \d+, lost 0\)/,
    );
    // 20 who signed in (one of them deleted: a tombstone or no row) and 3 who never did.
    expect(output).toMatch(/users in Hasura\s+2[23] \(every simulated user up to date\)/);
    expect(output).toMatch(/user pool \(moto\)\s+us-east-1_\w+/);
    expect(output).toMatch(/sign-ups published\s+23 by post-confirmation/);
    expect(output).toMatch(/never signed in\s+3\/3 in Hasura/);
    expect(output).toMatch(/email changed\s+user-00000: in Hasura/);
    expect(output).toMatch(/disabled\s+user-00001: in Hasura/);
    expect(output).toMatch(/deleted\s+user-00002: in Hasura/);
    expect(output).toMatch(/lifecycle DLQ depth\s+0/);
    expect(output).toMatch(/sync DLQ depth\s+0/);
    expect(output).toMatch(/sync lag\s+p50 \d+ ms, p99 \d+ ms/);
    expect(output).toMatch(/Hasura requests\s+\d+ by user-sync/);
    expect(output).toMatch(/second subscriber\s+60 login events received/);
    expect(servingBefore).toEqual([true, true]);
    expect(code).toBe(0);
    for (const endpoint of endpoints) expect(await answers(endpoint)).toBe(false);
  });

  it('exits non-zero with --once when sign-ins did not reach Hasura, leaving no server behind', async () => {
    // Prepare: the consumer writes to a table Hasura does not know, so no row ever appears.
    const run = startScript(['--once', '--logins', '5', '--users', '5', '--timeout', '2'], {
      USERS_TABLE: 'no_such_table',
    });
    running = run.child;

    // Act
    const code = await run.exit;

    // Assess
    const output = run.output();
    expect(code).toBe(1);
    expect(output).toMatch(/users in Hasura\s+0 \(0 of 4 simulated user up to date\)/);
    const endpoints = endpointsOf(output);
    expect(endpoints).toHaveLength(2);
    for (const endpoint of endpoints) expect(await answers(endpoint)).toBe(false);
  });
});
