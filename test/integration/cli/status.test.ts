import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createQueuePair } from '../../helpers/awsResources.js';
import { loginDetail } from '../../helpers/loginMessages.js';
import { sendLogins } from '../../helpers/queues.js';
import { type CliTestBed, runCliInProcess, spawnCli, startCliTestBed } from './cliHarness.js';

describe('Function: runCli status (moto)', () => {
  let bed: CliTestBed;
  let pair: Awaited<ReturnType<typeof createQueuePair>>;

  beforeAll(async () => {
    bed = await startCliTestBed();
    pair = await createQueuePair(bed.sqs, 5);
    await sendLogins(
      bed.sqs,
      pair.queueUrl,
      Array.from({ length: 7 }, (_, n) => loginDetail('sub-status', n)),
    );
    await sendLogins(bed.sqs, pair.dlqUrl, [
      loginDetail('sub-dead', 1),
      loginDetail('sub-dead', 2),
    ]);
  }, 60_000);

  afterAll(async () => {
    await bed?.stop();
  });

  it('prints depths and the DLQ oldest age without consuming anything', async () => {
    // Prepare
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // Act
    const run = await runCliInProcess(
      ['status', '--queue', pair.queueName, '--dlq', pair.dlqUrl, '--json'],
      bed.env,
    );
    const again = await runCliInProcess(
      ['status', '--queue', pair.queueName, '--dlq', pair.dlqUrl, '--json'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      syncQueue: { name: pair.queueName, depth: 7, inFlight: 0, oldestMessageAgeSeconds: null },
      dlq: { name: pair.dlqName, depth: 2, inFlight: 0 },
      archive: { name: 'cognito-hasura-sync-archive', state: 'ENABLED' },
    });
    expect(status.dlq.oldestMessageAgeSeconds).toBeGreaterThanOrEqual(1);
    // The peek consumed nothing: the second look sees the same DLQ.
    expect(JSON.parse(again.stdout).dlq).toMatchObject({ depth: 2, inFlight: 0 });
  }, 30_000);

  it('refreshes with --watch until Ctrl-C, then exits 0', async () => {
    // Prepare
    const child = spawnCli(
      ['status', '--queue', pair.queueName, '--dlq', pair.dlqName, '--watch', '0.3', '--json'],
      bed.env,
    );

    // Act
    const deadline = Date.now() + 20_000;
    while (child.stdout().split('\n').filter(Boolean).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.child.kill('SIGINT');
    const exit = await child.exited;

    // Assess
    expect(exit.code).toBe(0);
    const snapshots = child
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(snapshots.every((snapshot) => snapshot.syncQueue.depth === 7)).toBe(true);
  }, 30_000);
});
