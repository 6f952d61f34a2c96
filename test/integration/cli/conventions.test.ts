import { readFileSync } from 'node:fs';
import { DescribeReplayCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toPutEventsEntry } from '../../../cli/backfillEvent.js';
import { loginDetail } from '../../helpers/loginMessages.js';
import { counts, drain } from '../../helpers/queues.js';
import { type CliTestBed, runCliChild, runCliInProcess, startCliTestBed } from './cliHarness.js';

/**
 * moto under a name that is not a loopback address: `moto.remote.test` resolves to 127.0.0.1 only
 * in the CLI children this test starts (preloaded resolver), so nothing leaves the loopback
 * interface while the CLI sees an endpoint it must treat as remote.
 */
const remoteName = (target: URL): { url: string; env: Record<string, string> } => ({
  url: `http://moto.remote.test:${target.port}`,
  env: {
    NODE_OPTIONS: `--import=${new URL('./testHostsResolver.mjs', import.meta.url).href}`,
  },
});

/**
 * The conventions every command shares, against moto: --version, --json errors, simulate's
 * guard against non-local endpoints, replay-archive's dry run.
 */
describe('Function: runCli conventions (moto)', () => {
  let bed: CliTestBed;
  let remote: { url: string; env: Record<string, string> };

  beforeAll(async () => {
    bed = await startCliTestBed();
    remote = remoteName(new URL(bed.moto.endpoint));
  }, 60_000);

  afterAll(async () => {
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
      ...remote.env,
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
      { ...bed.env, ...remote.env, AWS_ENDPOINT_URL: remote.url },
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
          toPutEventsEntry(
            { type: 'UserAuthenticated', detail: loginDetail('sub-archive', n) },
            {
              eventBusName: bed.pipeline.eventBusName,
              source: bed.pipeline.eventSource,
            },
          ),
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
