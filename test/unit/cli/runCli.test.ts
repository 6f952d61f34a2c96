import { describe, expect, it } from '@jest/globals';
import { ExitCode, toExitOutcome, UsageError } from '../../../cli/errors.js';
import { runCli } from '../../../cli/program.js';

const run = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      },
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      },
    },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
};

describe('Function: runCli', () => {
  it.each(['replay-dlq', 'replay-archive', 'backfill', 'status', 'simulate'])(
    'prints help for %s and exits 0',
    async (command) => {
      // Act
      const result = await run([command, '--help']);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: cognito-hasura-sync ${command}`);
      expect(result.stdout).toContain('--json');
      expect(result.stdout).toMatch(/Exit codes:/);
    },
  );

  it.each([
    [['replay-dlq', '--rate', 'fast'], /--rate <n>.*"fast"/],
    [['replay-dlq', '--max', '1.5'], /--max <n>.*"1.5"/],
    [
      ['replay-archive', '--from', '2026-11-26', '--to', '2026-11-25'],
      /--from .* must be before --to/,
    ],
    [['replay-archive', '--from', 'yesterday'], /--from <time>.*"yesterday"/],
    [['replay-archive'], /required option '--from <time>'/],
    [['status', '--watch', '-1'], /--watch/],
    [['backfill'], /--user-pool-id is required/],
    [['teleport'], /unknown command 'teleport'/],
    [['replay-dlq', '--colour'], /unknown option '--colour'/],
    [['replay-dlq', '--native', '--user', 'x'], /--native cannot be combined/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    // Act
    const result = await run(args);

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('Function: toExitOutcome', () => {
  it('maps usage, endpoint and unexpected errors to their codes', () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    });
    const aws = Object.assign(new Error('Access denied'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });

    // Act & Assess
    expect(toExitOutcome(new UsageError('--x is bad'))).toEqual({ code: 2, message: '--x is bad' });
    expect(toExitOutcome(refused)).toEqual({
      code: 3,
      message: 'cannot reach the AWS endpoint: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(toExitOutcome(aws)).toEqual({
      code: 3,
      message: 'AWS call failed: AccessDeniedException: Access denied',
    });
    expect(toExitOutcome(new TypeError('boom\nsecond line'))).toEqual({
      code: 1,
      message: 'TypeError: boom second line',
    });
  });
});
