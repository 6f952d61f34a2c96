import { readFileSync } from 'node:fs';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DescribeReplayCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toPutEventsEntry } from '../../../cli/backfillEvent.js';
import { type CliTestBed, runCliChild, runCliInProcess, startCliTestBed } from './cliHarness.js';
import { counts, drain, loginDetail } from './queueHelpers.js';

/** This machine's first non-loopback IPv4 address: moto reached by a name that is not local. */
const externalAddress = (): string => {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  throw new Error('this machine has no non-loopback IPv4 address to reach moto through');
};

/** A TCP forwarder on a non-loopback address to moto, so a "remote" endpoint really works. */
const forwardTo = async (target: URL, host: string): Promise<{ server: Server; url: string }> => {
  const server = createServer((socket) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('forwarder has no port');
  return { server, url: `http://${host}:${address.port}` };
};

/**
 * The conventions every command shares, against moto: --version, --json errors, simulate's
 * guard against non-local endpoints, replay-archive's dry run.
 */
describe('Function: runCli conventions (moto)', () => {
  let bed: CliTestBed;
  let remote: { server: Server; url: string };

  beforeAll(async () => {
    bed = await startCliTestBed();
    remote = await forwardTo(new URL(bed.moto.endpoint), externalAddress());
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => remote?.server.close(resolve));
    await bed?.stop();
  });

  it('prints the version of package.json with --version (child process)', async () => {
    // Prepare
    const manifest = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };

    // Act
    const run = await runCliChild(['--version'], bed.env);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${manifest.version}\n`);
  }, 30_000);

  it('prints an error as one JSON object on stdout with --json, and exits non-zero', async () => {
    // Act
    const run = await runCliChild(['replay-dlq', '--dlq', 'no-such-dlq', '--json'], bed.env);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({
      error: '--dlq: unknown queue "no-such-dlq"',
      code: 'usage',
    });
    expect(run.stderr).toBe('cognito-hasura-sync: --dlq: unknown queue "no-such-dlq"\n');
  }, 30_000);

  it('refuses to simulate against an endpoint that is not loopback, sending nothing', async () => {
    // Act
    const run = await runCliChild(['simulate', '--logins', '3', '--users', '3', '--json'], {
      ...bed.env,
      AWS_ENDPOINT_URL: remote.url,
    });

    // Assess
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout) as { error: string; code: string };
    expect(error.code).toBe('refused');
    expect(error.error).toContain(remote.url);
    expect(error.error).toMatch(/not a loopback endpoint.*--yes/);
    expect(await counts(bed.sqs, bed.pipeline.syncQueue.queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
    });
  }, 30_000);

  // simulate runs as a child: the trigger's clients read their credentials from process.env.
  it('simulates against that endpoint with --yes, warning on stderr', async () => {
    // Act
    const run = await runCliChild(
      ['simulate', '--logins', '3', '--users', '3', '--yes', '--json', '-q'],
      { ...bed.env, AWS_ENDPOINT_URL: remote.url },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ logins: 3, failed: 0 });
    expect(run.stderr).toContain(`warning: --yes: simulating sign-ins against ${remote.url}`);
    expect(await drain(bed.sqs, bed.pipeline.syncQueue.queueUrl)).toHaveLength(3);
  }, 60_000);

  it('simulates against a loopback endpoint without --yes', async () => {
    // Act
    const run = await runCliChild(
      ['simulate', '--logins', '2', '--users', '2', '--json', '-q'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ logins: 2, failed: 0 });
    expect(await drain(bed.sqs, bed.pipeline.syncQueue.queueUrl)).toHaveLength(2);
  }, 60_000);

  it('starts no replay with replay-archive --dry-run and says what it would replay', async () => {
    // Prepare: two archived events (moto delivers them to the sync queue at once; drained).
    await bed.eventBridge.send(
      new PutEventsCommand({
        Entries: [1, 2].map((n) =>
          toPutEventsEntry(loginDetail('sub-archive', n), {
            eventBusName: bed.pipeline.eventBusName,
            source: bed.pipeline.eventSource,
          }),
        ),
      }),
    );
    await drain(bed.sqs, bed.pipeline.syncQueue.queueUrl);

    // Act
    const run = await runCliInProcess(
      ['replay-archive', '--from', '1h', '--name', 'dry-run-replay', '--dry-run', '--json', '-q'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      state: 'DRY_RUN',
      replayName: 'dry-run-replay',
      archiveArn: bed.pipeline.archiveArn,
      ruleArn: bed.pipeline.syncRuleArn,
    });
    await expect(
      bed.eventBridge.send(new DescribeReplayCommand({ ReplayName: 'dry-run-replay' })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    expect(await counts(bed.sqs, bed.pipeline.syncQueue.queueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
    });
  }, 30_000);
});
