import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateEventBusCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { userEventPattern } from '../../../shared/pipeline.js';
import { createUserPool } from '../../helpers/awsResources.js';
import { type FakeHasura, startFakeHasura } from '../../helpers/fakeHasuraServer.js';
import { startCollector } from '../../helpers/queues.js';
import {
  createCognitoUsers,
  type FakeCognitoUser,
  FakeTable,
  rowOf,
  usersTableResponder,
} from '../../helpers/reconcileWorld.js';
import { type CliTestBed, runCliInProcess, startCliTestBed } from './cliHarness.js';

/** Users of the pool (`RECONCILE_TEST_USERS` runs a smaller pool while developing). */
const USERS = Number(process.env.RECONCILE_TEST_USERS ?? 20_000);

interface Drift {
  missing: string[];
  stale: string[];
  orphaned: string[];
}

describe('Function: runCli reconcile (moto Cognito → EventBridge, users table over HTTP)', () => {
  let bed: CliTestBed;
  let hasura: FakeHasura;
  let directory: string;
  let userPoolId: string;
  let users: FakeCognitoUser[];
  const table = new FakeTable();
  const drift: Drift = { missing: [], stale: [], orphaned: [] };
  let busName: string;
  let queueUrl: string;
  const timings: Record<string, number> = {};

  const env = () => ({
    ...bed.env,
    HASURA_GRAPHQL_ENDPOINT: hasura.url,
    HASURA_ADMIN_SECRET: 'test-secret',
    EVENT_BUS_NAME: busName,
  });

  beforeAll(async () => {
    bed = await startCliTestBed();
    hasura = await startFakeHasura((request) => ({
      json: usersTableResponder(table)(request.body.variables),
    }));
    directory = await mkdtemp(join(tmpdir(), 'cli-reconcile-'));
    userPoolId = await createUserPool(bed.cognito, 'reconcile-test');
    // A bus whose rule routes every event of the contract to a queue (the sync rule's pattern).
    busName = `reconcile-${Date.now()}`;
    ({ QueueUrl: queueUrl = '' } = await bed.sqs.send(
      new CreateQueueCommand({ QueueName: busName }),
    ));
    const { Attributes: attributes = {} } = await bed.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await bed.eventBridge.send(new CreateEventBusCommand({ Name: busName }));
    await bed.eventBridge.send(
      new PutRuleCommand({
        Name: busName,
        EventBusName: busName,
        EventPattern: JSON.stringify(userEventPattern()),
      }),
    );
    await bed.eventBridge.send(
      new PutTargetsCommand({
        Rule: busName,
        EventBusName: busName,
        Targets: [{ Id: 'queue', Arn: attributes.QueueArn ?? '' }],
      }),
    );

    // The pool, and a table in step with it.
    let started = Date.now();
    users = await createCognitoUsers(bed.cognito, userPoolId, USERS);
    timings.createUsersMs = Date.now() - started;
    for (const user of users) table.put(rowOf(user));

    // Drift of every class, none of it through an event.
    started = Date.now();
    const pick = (from: number, count: number) => users.slice(from, from + count);
    for (const user of pick(0, 40)) {
      table.rows.delete(user.sub); // rows deleted
      drift.missing.push(user.sub);
    }
    for (const user of pick(100, 30)) {
      table.put({ ...rowOf(user), email: 'edited-by-hand@example.com' }); // rows edited
      drift.stale.push(user.sub);
    }
    for (const user of pick(200, 20)) {
      await bed.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: user.username,
          UserAttributes: [{ Name: 'email', Value: `changed-${user.username}@example.com` }],
        }),
      );
      drift.stale.push(user.sub);
    }
    for (const user of pick(300, 5)) {
      await bed.cognito.send(
        new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: user.username }),
      );
      drift.stale.push(user.sub);
    }
    for (const user of pick(400, 8)) {
      await bed.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: user.username }),
      );
      drift.orphaned.push(user.sub);
    }
    // Users created in Cognito without any event.
    for (const user of await createCognitoUsers(bed.cognito, userPoolId, 25, { prefix: 'late' })) {
      drift.missing.push(user.sub);
    }
    timings.driftMs = Date.now() - started;
  }, 600_000);

  afterAll(async () => {
    await hasura?.stop();
    await bed?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const collected = async (run: () => Promise<unknown>): Promise<PutEventsRequestEntry[]> => {
    const collector = startCollector(bed.sqs, queueUrl);
    await run();
    const bodies = await collector.finish();
    return bodies.map((body) => {
      const event = JSON.parse(body) as { 'detail-type': string; detail: unknown };
      return { DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) };
    });
  };
  const subsOf = (entries: PutEventsRequestEntry[], type: string) =>
    entries
      .filter((entry) => entry.DetailType === type)
      .map((entry) => (JSON.parse(entry.Detail ?? '{}') as { sub: string }).sub)
      .sort();
  const inStepCount = USERS - 40 - 30 - 20 - 5 - 8;

  it('counts every class exactly, repairs through the bus, and a second run (partitioned by sub ^=) finds no drift', async () => {
    // Prepare
    const checkpoint = join(directory, 'repair.json');
    let run = { code: -1, stdout: '', stderr: '' };
    let started = Date.now();

    // Act
    const events = await collected(async () => {
      run = await runCliInProcess(
        [
          'reconcile',
          '--user-pool-id',
          userPoolId,
          '--rate',
          'off',
          '--json',
          '--checkpoint',
          checkpoint,
        ],
        env(),
      );
    });
    timings.repairRunMs = Date.now() - started;
    table.apply(events);
    started = Date.now();
    const second = await runCliInProcess(
      [
        'reconcile',
        '--user-pool-id',
        userPoolId,
        '--rate',
        'off',
        '--json',
        '--partition-depth',
        '1',
        '--checkpoint',
        checkpoint,
      ],
      env(),
    );
    timings.secondRunMs = Date.now() - started;

    // Assess
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout);
    // Every class counted exactly, no attribute value in the report.
    expect(report.counts).toEqual({
      inStep: inStepCount,
      missing: drift.missing.length,
      stale: drift.stale.length,
      orphaned: drift.orphaned.length,
    });
    expect(report.staleFields).toEqual({ email: 50, enabled: 5 });
    expect(report.samples.orphaned.every((sub: string) => drift.orphaned.includes(sub))).toBe(true);
    expect(JSON.stringify(report)).not.toContain('@example.com');
    expect(report).toMatchObject({
      repaired: drift.missing.length + drift.stale.length + drift.orphaned.length,
      deleted: drift.orphaned.length,
      complete: true,
    });
    expect(subsOf(events, 'UserUpdated')).toEqual([...drift.missing, ...drift.stale].sort());
    expect(subsOf(events, 'UserDeleted')).toEqual([...drift.orphaned].sort());
    // No in-step user was written: the table took exactly the repairs.
    expect([...table.written].sort()).toEqual(
      [...drift.missing, ...drift.stale, ...drift.orphaned].sort(),
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      counts: { inStep: USERS - 8 + 25, missing: 0, stale: 0, orphaned: 0 },
      partitions: { prefixLength: 1, done: 16, total: 16 },
      drift: false,
    });
    process.stderr.write(`reconcile on moto, ${USERS} users: ${JSON.stringify(timings)}\n`);
  }, 600_000);

  it('stops at --max-deletes with nothing deleted when pointed at the wrong pool', async () => {
    // Prepare: an empty pool, the full table.
    const wrongPool = await createUserPool(bed.cognito, 'wrong-pool');
    let run = { code: -1, stdout: '' };

    // Act
    const events = await collected(async () => {
      run = await runCliInProcess(
        [
          'reconcile',
          '--user-pool-id',
          wrongPool,
          '--rate',
          'off',
          '--max-deletes',
          '3',
          '--json',
          '--checkpoint',
          join(directory, 'wrong.json'),
        ],
        env(),
      );
    });

    // Assess
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout)).toMatchObject({
      stoppedAtMaxDeletes: true,
      deleted: 0,
      counts: { orphaned: 4 },
    });
    expect(subsOf(events, 'UserDeleted')).toEqual([]);
  }, 600_000);
});
