import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CliTestBed, runCliChild, startCliTestBed } from './cliHarness.js';

/**
 * Bad arguments, as an operator types them, against the real executable (a child process):
 * one line on stderr naming the problem, exit code 2, never a stack trace.
 */
describe('Function: runCli with bad arguments (child process)', () => {
  let bed: CliTestBed;

  beforeAll(async () => {
    bed = await startCliTestBed();
  }, 60_000);

  afterAll(async () => {
    await bed?.stop();
  });

  it.each([
    [['replay-dlq', '--dlq', 'no-such-dlq'], '--dlq: unknown queue "no-such-dlq"'],
    [['replay-dlq', '--to', 'no-such-queue'], '--to: unknown queue "no-such-queue"'],
    [['status', '--queue', 'nope'], '--queue: unknown queue "nope"'],
    [
      ['replay-archive', '--from', '2026-11-26T10:00:00Z', '--to', '2026-11-26T09:00:00Z'],
      '--from (2026-11-26T10:00:00.000Z) must be before --to (2026-11-26T09:00:00.000Z)',
    ],
    [
      ['replay-dlq', '--rate', 'ten'],
      `option '--rate <n>' argument 'ten' is invalid. expected a positive number per second, got "ten"`,
    ],
    [
      ['backfill', '--user-pool-id', 'us-east-1_x', '--rate', '-5'],
      `option '--rate <n>' argument '-5' is invalid. expected a positive number per second, got "-5"`,
    ],
    [['replay-archive', '--from', '1h', '--archive', 'gone'], '--archive: unknown archive "gone"'],
  ])(
    'rejects %j with one line, exit 2 and no stack',
    async (args, message) => {
      // Act
      const run = await runCliChild(args, bed.env);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`cognito-hasura-sync: ${message}\n`);
      expect(run.stdout).toBe('');
    },
    30_000,
  );

  it('exits 3 with one line when the endpoint cannot be reached', async () => {
    // Act
    const run = await runCliChild(['status'], {
      ...bed.env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });

    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^cognito-hasura-sync: cannot reach the AWS endpoint: .*ECONNREFUSED.*\n$/,
    );
  }, 60_000);
});
