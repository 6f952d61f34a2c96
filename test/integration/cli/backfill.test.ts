import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UserUpdatedV1 } from '../../../shared/events/userLifecycle.js';
import { createBusToQueue, createUserPool, createUsers } from '../../helpers/awsResources.js';
import { backfillArgs, checkpointPages, slowBackfillArgs } from '../../helpers/backfillRuns.js';
import { startCollector, waitFor } from '../../helpers/queues.js';
import { type CliTestBed, runCliInProcess, spawnCli, startCliTestBed } from './cliHarness.js';

const USERS = 1000;

const details = (bodies: readonly string[]): UserUpdatedV1[] =>
  bodies.map((body) => (JSON.parse(body) as { detail: UserUpdatedV1 }).detail);

let buses = 0;

describe('Function: runCli backfill (moto Cognito → EventBridge → queue)', () => {
  let bed: CliTestBed;
  let userPoolId: string;
  let directory: string;

  beforeAll(async () => {
    bed = await startCliTestBed();
    directory = await mkdtemp(join(tmpdir(), 'cli-backfill-'));
    userPoolId = await createUserPool(bed.cognito, 'backfill-test');
    // 1,000 users, created 25 at a time.
    const names = Array.from({ length: USERS }, (_, n) => `user-${String(n).padStart(4, '0')}`);
    await createUsers(bed.cognito, userPoolId, names, (name) => [
      { Name: 'email', Value: `${name}@example.com` },
      { Name: 'name', Value: `Name of ${name}` },
    ]);
  }, 120_000);

  const newBus = () => {
    buses += 1;
    return createBusToQueue(bed.eventBridge, bed.sqs, `cli-backfill-${buses}`);
  };

  afterAll(async () => {
    await bed?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('publishes one Backfill event per user: 1,000 users yield 1,000 events', async () => {
    // Prepare
    const checkpoint = join(directory, 'full.json');
    const { busName, queueUrl } = await newBus();
    const collector = startCollector(bed.sqs, queueUrl);

    // Act
    const run = await runCliInProcess(
      backfillArgs({ userPoolId, bus: busName, checkpoint, rate: 50, flags: ['--json'] }),
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ published: USERS, complete: true, failed: 0 });
    const events = details(await collector.finish());
    expect(events).toHaveLength(USERS);
    expect(new Set(events.map((event) => event.sub)).size).toBe(USERS);
    // States as read, never logins: UserUpdated with cause Backfill, enabled and status listed.
    expect(events.every((event) => event.cause === 'Backfill')).toBe(true);
    expect(events.some((event) => 'authenticatedAt' in event)).toBe(false);
    expect(events.every((event) => event.enabled === true && event.status.length > 0)).toBe(true);
    // Only the allow-listed attribute (email by default) is published.
    expect(events.every((event) => Object.keys(event.attributes).join() === 'email')).toBe(true);
    expect(JSON.parse(await readFile(checkpoint, 'utf8'))).toMatchObject({
      complete: true,
      paginationToken: null,
      published: USERS,
    });
  }, 120_000);

  it('resumes after a kill: still 1,000 users, no page skipped', async () => {
    // Prepare: a slow run (20 users per page, 4 pages per second) killed mid-way.
    const checkpoint = join(directory, 'killed.json');
    const { busName, queueUrl } = await newBus();
    const collector = startCollector(bed.sqs, queueUrl);
    const child = spawnCli(slowBackfillArgs({ userPoolId, bus: busName, checkpoint }), bed.env);
    await waitFor(async () => (await checkpointPages(checkpoint)) >= 5, 30_000, 50);
    child.child.kill('SIGKILL');
    const exit = await child.exited;
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as {
      complete: boolean;
      pages: number;
    };

    // Act
    const resumed = await runCliInProcess(
      backfillArgs({
        userPoolId,
        bus: busName,
        checkpoint,
        rate: 50,
        flags: ['--resume', '--json'],
      }),
      bed.env,
    );

    // Assess
    expect(exit.signal).toBe('SIGKILL');
    expect(saved.complete).toBe(false);
    expect(saved.pages).toBeGreaterThanOrEqual(5);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: true, complete: true, failed: 0 });
    const events = details(await collector.finish());
    // Every user exactly once or, for the page in flight at the kill, twice (same event id).
    expect(new Set(events.map((event) => event.sub)).size).toBe(USERS);
    expect(events.length).toBeGreaterThanOrEqual(USERS);
    expect(events.length).toBeLessThanOrEqual(USERS + 20);
  }, 120_000);

  it('rejects --resume without a checkpoint file (exit 2, one line)', async () => {
    // Act
    const run = await runCliInProcess(
      [
        'backfill',
        '--user-pool-id',
        userPoolId,
        '--attributes',
        'email',
        '--checkpoint',
        join(directory, 'none.json'),
        '--resume',
      ],
      bed.env,
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cognito-hasura-sync: --resume: no checkpoint file at .*none\.json\n$/,
    );
  }, 30_000);

  it('publishes nothing and writes no checkpoint with --dry-run, and counts every user', async () => {
    // Prepare
    const checkpoint = join(directory, 'dry-run.json');
    const { busName, queueUrl } = await newBus();
    const collector = startCollector(bed.sqs, queueUrl);

    // Act
    const run = await runCliInProcess(
      backfillArgs({
        userPoolId,
        bus: busName,
        checkpoint,
        attributes: 'email,name',
        rate: 50,
        flags: ['--dry-run', '--json'],
      }),
      bed.env,
    );

    // Assess
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { samples: { attributeNames: string[] }[] };
    expect(report).toMatchObject({
      dryRun: true,
      wouldPublish: USERS,
      published: 0,
      complete: true,
      attributes: ['email', 'name'],
    });
    expect(report.samples[0]?.attributeNames.sort()).toEqual(['email', 'name']);
    expect(await collector.finish()).toEqual([]);
    await expect(access(checkpoint)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('refuses to run without --attributes, whatever PUBLISHED_ATTRIBUTES the shell holds', async () => {
    // Prepare
    const { busName, queueUrl } = await newBus();
    const collector = startCollector(bed.sqs, queueUrl);

    // Act
    const run = await runCliInProcess(
      ['backfill', '--user-pool-id', userPoolId, '--bus', busName, '--json'],
      { ...bed.env, PUBLISHED_ATTRIBUTES: 'email,name' },
    );

    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: expect.stringMatching(/^--attributes is required: give the deployment's allow-list/),
      code: 'usage',
    });
    expect(await collector.finish()).toEqual([]);
  }, 30_000);
});
