import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../../cli/program.js';
import { type FakeHasura, startFakeHasura } from '../../helpers/fakeHasuraServer.js';
import { MOCK_POOL_ID, useReconcileMocks } from '../../helpers/reconcileMocks.js';
import { fakeUser, rowOf, usersTableResponder } from '../../helpers/reconcileWorld.js';

describe('Function: runCli reconcile', () => {
  const mocks = useReconcileMocks();
  let hasura: FakeHasura;
  let directory: string;
  const clients = {
    cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
    eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
    sqs: new SQSClient({ region: 'eu-west-1' }),
  };

  beforeAll(async () => {
    hasura = await startFakeHasura((request) => ({
      json: usersTableResponder(mocks.table)(request.body.variables),
    }));
    directory = await mkdtemp(join(tmpdir(), 'reconcile-command-'));
  });

  afterAll(async () => {
    await hasura.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const run = async (
    args: string[],
    env: Record<string, string> = {},
    signal = new AbortController().signal,
  ) => {
    let stdout = '';
    let stderr = '';
    const sink = (append: (chunk: string) => void) => ({
      write: (chunk: string) => {
        append(chunk);
        return true;
      },
    });
    const code = await runCli(['reconcile', '--checkpoint', join(directory, 'c.json'), ...args], {
      env: {
        HASURA_GRAPHQL_ENDPOINT: hasura.url,
        HASURA_ADMIN_SECRET: 'secret',
        ...env,
      },
      stdout: sink((chunk) => {
        stdout += chunk;
      }),
      stderr: sink((chunk) => {
        stderr += chunk;
      }),
      signal,
      abortedBy: () => (signal.aborted ? 'SIGINT' : undefined),
      clients,
    });
    return { code, stdout, stderr };
  };

  /** 120 users, 3 without a row, 1 orphaned row. */
  const drifted = () => {
    for (let n = 0; n < 120; n += 1) {
      mocks.pool.add(fakeUser(n));
      if (n >= 3) mocks.table.put(rowOf(fakeUser(n)));
    }
    mocks.table.put(rowOf(fakeUser(0, 'gone')));
  };

  it('reports drift on a dry run with exit 4 and publishes nothing', async () => {
    // Prepare
    drifted();

    // Act
    const result = await run(['--user-pool-id', MOCK_POOL_ID, '--dry-run', '--json', '-q']);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      counts: { inStep: 117, missing: 3, stale: 0, orphaned: 1 },
      repaired: 0,
    });
    expect(mocks.published).toEqual([]);
  });

  it('repairs with exit 4, then reports no drift with exit 0 and a readable summary', async () => {
    // Prepare
    drifted();

    // Act
    const first = await run(['--user-pool-id', MOCK_POOL_ID, '-q']);
    mocks.table.apply(mocks.published);
    const second = await run(['--user-pool-id', MOCK_POOL_ID, '-q']);

    // Assess
    expect(first.code).toBe(4);
    expect(first.stdout).toMatch(
      /reconcile of eu-west-1_AbCdEf123: 117 in step, 3 missing, 0 stale, 1 orphaned/,
    );
    expect(first.stdout).toContain('repaired: 4 event(s) published (1 deletion(s))');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no drift');
  });

  it('exits 5 when the orphans exceed --max-deletes, deleting nothing', async () => {
    // Prepare
    for (let n = 0; n < 5; n += 1) mocks.table.put(rowOf(fakeUser(n)));

    // Act
    const result = await run(['--user-pool-id', MOCK_POOL_ID, '--max-deletes', '2', '-q']);

    // Assess
    expect(result.code).toBe(5);
    expect(result.stdout).toContain('STOPPED: 3 orphaned row(s) exceed --max-deletes 2');
    expect(mocks.published).toEqual([]);
  });

  it('resumes after Ctrl-C from its checkpoint, missing no user and repairing each once', async () => {
    // Prepare: 300 users (5 pages), 12 without a row; Ctrl-C while the 3rd page is read.
    for (let n = 0; n < 300; n += 1) {
      mocks.pool.add(fakeUser(n));
      if (n % 25 !== 0) mocks.table.put(rowOf(fakeUser(n)));
    }
    mocks.table.put(rowOf(fakeUser(0, 'gone')));
    const controller = new AbortController();
    let calls = 0;
    mocks.cognitoMock.on(ListUsersCommand).callsFake((input) => {
      calls += 1;
      if (calls === 3) controller.abort();
      return mocks.pool.listUsers(input);
    });

    // Act
    const interrupted = await run(
      ['--user-pool-id', MOCK_POOL_ID, '--json', '-q'],
      {},
      controller.signal,
    );
    const resumed = await run(['--user-pool-id', MOCK_POOL_ID, '--json', '-q', '--resume']);

    // Assess
    expect(interrupted.code).toBe(130);
    expect(JSON.parse(interrupted.stdout)).toMatchObject({ interrupted: true, pages: 3 });
    expect(resumed.code).toBe(4);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      counts: { inStep: 288, missing: 12, stale: 0, orphaned: 1 },
      pages: 5,
      deleted: 1,
      complete: true,
    });
    const updated = mocks.published.filter((e) => e.DetailType === 'UserUpdated');
    expect(updated).toHaveLength(12);
  });

  it('documents its flags and exit codes in --help', async () => {
    // Act
    const result = await run(['--help']);

    // Assess
    expect(result.code).toBe(0);
    for (const flag of ['--dry-run', '--max-deletes', '--rate', '--json', '--resume']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toMatch(/0 no drift, 4 drift found .*5 stopped at --max-deletes/);
  });

  it('refuses to run without a pool or without Hasura, with exit 2', async () => {
    // Act
    const noPool = await run([]);
    const noHasura = await run(['--user-pool-id', MOCK_POOL_ID], { HASURA_GRAPHQL_ENDPOINT: '' });

    // Assess
    expect(noPool.code).toBe(2);
    expect(noPool.stderr).toContain('--user-pool-id is required');
    expect(noHasura.code).toBe(2);
    expect(noHasura.stderr).toContain('HASURA_GRAPHQL_ENDPOINT is not set');
  });
});
