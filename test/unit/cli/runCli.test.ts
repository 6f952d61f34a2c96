import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ExitCode, RefusedError, toExitOutcome, UsageError } from '../../../cli/errors.js';
import { runCli } from '../../../cli/program.js';

const run = async (args: string[], env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', ...env },
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

  it.each([['--version'], ['-V']])(
    'prints the package version for %s and exits 0',
    async (flag) => {
      // Prepare
      const manifest = JSON.parse(
        readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as { version: string };

      // Act
      const result = await run([flag]);

      // Assess
      expect(result.code).toBe(ExitCode.Ok);
      expect(result.stdout).toBe(`${manifest.version}\n`);
    },
  );

  it.each([
    [['replay-dlq', '--rate', 'fast', '--json'], 'usage', /--rate <n>.*"fast"/],
    [['replay-dlq', '--json', '--colour'], 'usage', /unknown option '--colour'/],
    [['backfill', '--json'], 'usage', /--user-pool-id is required/],
  ])('prints an error of %j as one JSON object on stdout too', async (args, code, message) => {
    // Act
    const result = await run(args);

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const error = JSON.parse(result.stdout) as { error: string; code: string };
    expect(Object.keys(error).sort()).toEqual(['code', 'error']);
    expect(error.code).toBe(code);
    expect(error.error).toMatch(message);
    expect(result.stderr).toBe(`cognito-hasura-sync: ${error.error}\n`);
  });

  it('refuses a backfill without --attributes, even with PUBLISHED_ATTRIBUTES in the shell', async () => {
    // Act
    const result = await run(['backfill', '--user-pool-id', 'eu-west-1_AbCdEf123'], {
      PUBLISHED_ATTRIBUTES: 'email,custom:tenant',
    });

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/--attributes is required: give the deployment's allow-list/);
    expect(result.stderr).toMatch(/get-function-configuration/);
  });

  it('rejects --attributes that are not Cognito attribute names', async () => {
    // Act
    const result = await run([
      'backfill',
      '--user-pool-id',
      'eu-west-1_AbCdEf123',
      '--attributes',
      'email,given name',
    ]);

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/--attributes must list Cognito attribute names.*"given name"/);
  });

  it('refuses simulate against a non-loopback endpoint before any request, naming it and --yes', async () => {
    // Act
    const result = await run(['simulate', '--json'], {
      AWS_ENDPOINT_URL: 'https://sqs.eu-west-1.amazonaws.com',
    });

    // Assess
    expect(result.code).toBe(ExitCode.Usage);
    const error = JSON.parse(result.stdout) as { error: string; code: string };
    expect(error.code).toBe('refused');
    expect(error.error).toMatch(/https:\/\/sqs\.eu-west-1\.amazonaws\.com/);
    expect(error.error).toMatch(/--yes/);
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
    expect(toExitOutcome(new UsageError('--x is bad'))).toEqual({
      code: 2,
      errorCode: 'usage',
      message: '--x is bad',
    });
    expect(toExitOutcome(new RefusedError('--yes', 'not local'))).toEqual({
      code: 2,
      errorCode: 'refused',
      message: 'not local',
    });
    expect(toExitOutcome(refused)).toEqual({
      code: 3,
      errorCode: 'endpoint-unreachable',
      message: 'cannot reach the AWS endpoint: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(toExitOutcome(aws)).toEqual({
      code: 3,
      errorCode: 'aws-error',
      message: 'AWS call failed: AccessDeniedException: Access denied',
    });
    expect(toExitOutcome(new TypeError('boom\nsecond line'))).toEqual({
      code: 1,
      errorCode: 'failed',
      message: 'TypeError: boom second line',
    });
  });
});
