import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { pipeline } from '../../../shared/pipeline.js';
import { createPlainQueue, createQueuePair } from '../../helpers/awsResources.js';
import { envelopeBody, eventIds, loginDetail } from '../../helpers/loginMessages.js';
import {
  counts,
  drain,
  eventually,
  poisonIntoDlq,
  receiveCounts,
  sendLogins,
} from '../../helpers/queues.js';
import { type CliTestBed, runCliInProcess, spawnCli, startCliTestBed } from './cliHarness.js';

describe('Function: runCli replay-dlq (moto)', () => {
  let bed: CliTestBed;
  let queueUrl: string;
  let dlqUrl: string;
  let dlqArgs: string[];

  beforeAll(async () => {
    bed = await startCliTestBed();
  }, 60_000);

  afterAll(async () => {
    await bed?.stop();
  });

  beforeEach(async () => {
    // Each test gets its own queue and DLQ; the first one uses the provisioned pipeline's.
    if (expect.getState().currentTestName?.includes('redrive policy')) {
      queueUrl = bed.pipeline.syncQueue.queueUrl;
      dlqUrl = bed.pipeline.syncQueue.dlqUrl;
      dlqArgs = [];
    } else {
      const pair = await createQueuePair(bed.sqs, pipeline.syncQueue.maxReceiveCount);
      queueUrl = pair.queueUrl;
      dlqUrl = pair.dlqUrl;
      dlqArgs = ['--dlq', pair.dlqName];
    }
  });

  /** Puts `details` into the DLQ through the redrive policy, as a failing consumer would. */
  const poison = async (details: ReturnType<typeof loginDetail>[]): Promise<void> => {
    await sendLogins(bed.sqs, queueUrl, details);
    await poisonIntoDlq(bed.sqs, queueUrl, pipeline.syncQueue.maxReceiveCount);
  };

  it('moves every poison record back to the source queue found through the redrive policy', async () => {
    // Prepare
    const details = Array.from({ length: 25 }, (_, n) => loginDetail(`sub-${n % 5}`, n));
    await poison(details);
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 25, inFlight: 0 });
    expect(await counts(bed.sqs, queueUrl)).toEqual({ visible: 0, inFlight: 0 });

    // Act
    const run = await runCliInProcess(['replay-dlq', '--json'], bed.env);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ moved: 25, failed: 0, skipped: 0 });
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const back = await drain(bed.sqs, queueUrl);
    expect(eventIds(back).sort()).toEqual(details.map((d) => d.eventId).sort());
  }, 60_000);

  it('preserves bodies and message attributes', async () => {
    // Prepare
    const detail = loginDetail('sub-attr', 1);
    await sendLogins(bed.sqs, dlqUrl, [detail], {
      origin: { DataType: 'String', StringValue: 'fallback' },
      attempt: { DataType: 'Number', StringValue: '3' },
    });

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', ...dlqArgs, '--to', queueUrl, '--quiet'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    const [moved] = await drain(bed.sqs, queueUrl);
    expect(moved?.body).toBe(envelopeBody(detail));
    expect(moved?.attributes).toEqual({
      origin: expect.objectContaining({ DataType: 'String', StringValue: 'fallback' }),
      attempt: expect.objectContaining({ DataType: 'Number', StringValue: '3' }),
    });
  }, 30_000);

  it('moves only the messages of --user and releases the others at once', async () => {
    // Prepare
    const details = Array.from({ length: 30 }, (_, n) => loginDetail(`sub-${n % 3}`, n));
    await poison(details);

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', ...dlqArgs, '--user', 'sub-1', '--json'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      scanned: 30,
      matched: 10,
      moved: 10,
      skipped: 20,
    });
    // The 20 others are visible again right away, not after a visibility timeout.
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 20, inFlight: 0 });
    const moved = await drain(bed.sqs, queueUrl);
    expect(eventIds(moved).sort()).toEqual(
      details
        .filter((d) => d.sub === 'sub-1')
        .map((d) => d.eventId)
        .sort(),
    );
    const left = await drain(bed.sqs, dlqUrl);
    expect(eventIds(left).every((id) => !id.startsWith('sub-1-'))).toBe(true);
  }, 60_000);

  it('moves nothing with --dry-run and reports counts and samples', async () => {
    // Prepare
    const details = Array.from({ length: 12 }, (_, n) => loginDetail(`sub-${n % 2}`, n));
    await poison(details);

    // Act
    const run = await runCliInProcess(['replay-dlq', ...dlqArgs, '--dry-run', '--json'], bed.env);

    // Assess
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { matched: number; moved: number; samples: unknown[] };
    expect(report).toMatchObject({ dryRun: true, scanned: 12, matched: 12, moved: 0 });
    expect(report.samples).toHaveLength(3);
    expect(report.samples[0]).toEqual(
      expect.objectContaining({ messageId: expect.any(String), sub: expect.any(String) }),
    );
    expect(JSON.stringify(report.samples)).not.toContain('@example.com');
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 12, inFlight: 0 });
    expect(await counts(bed.sqs, queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 60_000);

  it('stops after --max messages', async () => {
    // Prepare
    await poison(Array.from({ length: 15 }, (_, n) => loginDetail('sub-max', n)));

    // Act
    const run = await runCliInProcess(['replay-dlq', ...dlqArgs, '--max', '4', '--json'], bed.env);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ moved: 4 });
    expect(await counts(bed.sqs, queueUrl)).toEqual({ visible: 4, inFlight: 0 });
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 11, inFlight: 0 });
  }, 60_000);

  it('loses no message when killed halfway (SIGKILL during a slow --rate)', async () => {
    // Prepare
    const details = Array.from({ length: 40 }, (_, n) => loginDetail(`sub-${n % 4}`, n));
    await poison(details);
    const child = spawnCli(
      ['replay-dlq', ...dlqArgs, '--rate', '5', '--visibility-timeout', '2', '--quiet'],
      bed.env,
    );

    // Act: kill it once some, but not all, messages reached the source queue.
    await eventually(async () => (await counts(bed.sqs, queueUrl)).visible >= 12, 20_000);
    child.child.kill('SIGKILL');
    const exit = await child.exited;

    // Assess: every message is in the DLQ or the source queue (duplicates allowed).
    expect(exit.signal).toBe('SIGKILL');
    const inSource = eventIds(await drain(bed.sqs, queueUrl));
    expect(inSource.length).toBeGreaterThanOrEqual(12);
    expect(inSource.length).toBeLessThan(40);
    // Messages the killed process held come back after their 2 s visibility timeout.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const inDlq = eventIds(await drain(bed.sqs, dlqUrl));
    expect(new Set([...inSource, ...inDlq])).toEqual(new Set(details.map((d) => d.eventId)));
  }, 60_000);

  it.each([
    { signal: 'SIGINT', code: 130, promise: 'held messages visible again at once' },
    { signal: 'SIGTERM', code: 143, promise: 'nothing deleted before it was sent' },
  ] as const)(
    'stops cleanly on $signal: exit $code, nothing lost, $promise',
    async ({ signal, code }) => {
      // Prepare
      const details = Array.from({ length: 30 }, (_, n) => loginDetail(`sub-${n % 3}`, n));
      await poison(details);
      const child = spawnCli(['replay-dlq', ...dlqArgs, '--rate', '4', '--json', '-q'], bed.env);

      // Act
      await eventually(async () => (await counts(bed.sqs, queueUrl)).visible >= 8, 20_000);
      child.child.kill(signal);
      const exit = await child.exited;

      // Assess
      expect(exit.code).toBe(code);
      const report = JSON.parse(child.stdout()) as { moved: number; interrupted: boolean };
      expect(report.interrupted).toBe(true);
      // No visibility timeout to wait for: the DLQ holds exactly what was not moved, visible now.
      expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 30 - report.moved, inFlight: 0 });
      const inSource = eventIds(await drain(bed.sqs, queueUrl));
      const inDlq = eventIds(await drain(bed.sqs, dlqUrl));
      expect(inSource).toHaveLength(report.moved);
      expect(new Set([...inSource, ...inDlq])).toEqual(new Set(details.map((d) => d.eventId)));
    },
    60_000,
  );

  it('reports clearly that moto does not support --native (exit 3)', async () => {
    // Prepare
    await poison([loginDetail('sub-native', 1)]);

    // Act
    const run = await runCliInProcess(['replay-dlq', ...dlqArgs, '--native', '--quiet'], bed.env);

    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/does not support StartMessageMoveTask.*without --native/);
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  }, 60_000);

  it('rejects an unknown queue with one line and exit 2', async () => {
    // Act
    const run = await runCliInProcess(['replay-dlq', '--dlq', 'no-such-queue'], bed.env);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('cognito-hasura-sync: --dlq: unknown queue "no-such-queue"\n');
  }, 30_000);

  it('refuses a --dlq that is not the dead-letter queue of --to, before receiving anything', async () => {
    // Prepare: a live queue with good messages, and an unrelated destination.
    const live = await createPlainQueue(bed.sqs, 'cli-live');
    const other = await createPlainQueue(bed.sqs, 'cli-other');
    const details = Array.from({ length: 5 }, (_, n) => loginDetail('sub-live', n));
    await sendLogins(bed.sqs, live, details);

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', '--dlq', live, '--to', other, '--json'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout) as { error: string; code: string };
    expect(error.code).toBe('refused');
    expect(error.error).toMatch(
      /is not the dead-letter queue of --to .*it has no RedrivePolicy.*--force/,
    );
    expect(await counts(bed.sqs, other)).toEqual({ visible: 0, inFlight: 0 });
    // Never received: the refusal comes before the scan, so no receive was counted.
    expect(await receiveCounts(bed.sqs, live)).toEqual(details.map(() => 1));
  }, 30_000);

  it("refuses a DLQ that belongs to another queue than --to, naming the policy's target", async () => {
    // Prepare
    const other = await createQueuePair(bed.sqs, pipeline.syncQueue.maxReceiveCount);
    await sendLogins(bed.sqs, dlqUrl, [loginDetail('sub-other', 1)]);

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', ...dlqArgs, '--to', other.queueUrl, '--quiet'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`its RedrivePolicy names arn:aws:sqs:[^ ]*:${other.dlqName}\\).*--force`),
    );
    expect(await counts(bed.sqs, dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  }, 30_000);

  it("moves the messages of a queue that is not --to's DLQ with --force, and warns", async () => {
    // Prepare
    const live = await createPlainQueue(bed.sqs, 'cli-forced');
    const other = await createPlainQueue(bed.sqs, 'cli-forced-to');
    const details = Array.from({ length: 7 }, (_, n) => loginDetail('sub-forced', n));
    await sendLogins(bed.sqs, live, details);

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', '--dlq', live, '--to', other, '--force', '--json', '--quiet'],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ forced: true, moved: 7 });
    expect(run.stderr).toMatch(/warning: --force: .* is not the dead-letter queue of /);
    expect(eventIds(await drain(bed.sqs, other)).sort()).toEqual(
      details.map((d) => d.eventId).sort(),
    );
  }, 30_000);

  it('ends a --user scan of a DLQ larger than one visibility timeout can cover, and says so', async () => {
    // Prepare: 600 messages, 30 of them the user's. Held messages come back after 1 s, sooner
    // than a scan can read them all, so an unbounded scan would read the first ones forever.
    const details = Array.from({ length: 600 }, (_, n) => loginDetail(`sub-${n % 20}`, n));
    await sendLogins(bed.sqs, dlqUrl, details);
    const stop = new AbortController();
    const watchdog = setTimeout(() => stop.abort(), 40_000);

    // Act
    const run = await runCliInProcess(
      ['replay-dlq', ...dlqArgs, '--user', 'sub-7', '--visibility-timeout', '1', '--json', '-q'],
      bed.env,
      stop.signal,
    );
    clearTimeout(watchdog);

    // Assess: it ended by itself, and the report says how far it got.
    const report = JSON.parse(run.stdout) as {
      interrupted: boolean;
      stoppedBecause: string;
      scanComplete: boolean;
      scanned: number;
      moved: number;
      receives: number;
    };
    expect(report.interrupted).toBe(false);
    expect(['wrapped', 'empty', 'receive-limit']).toContain(report.stoppedBecause);
    expect(report.scanComplete).toBe(report.scanned >= details.length);
    expect(run.code).toBe(report.scanComplete ? 0 : 1);
    expect(report.receives).toBeGreaterThanOrEqual(Math.ceil(report.scanned / 10));
    // Only the user's messages moved; every other one is visible in the DLQ again at once.
    const moved = eventIds(await drain(bed.sqs, queueUrl));
    expect(moved).toHaveLength(report.moved);
    expect(moved.every((id) => id.startsWith('sub-7-'))).toBe(true);
    expect(await counts(bed.sqs, dlqUrl)).toEqual({
      visible: details.length - report.moved,
      inFlight: 0,
    });
  }, 90_000);
});
