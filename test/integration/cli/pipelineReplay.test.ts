import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postAuthenticationEvent, simulatedUser } from '../../../cli/simulateLogins.js';
import { fetchSyncedUsers } from '../../../local/hasuraTarget.js';
import { createBusWithSyncRule, createUsers } from '../../helpers/awsResources.js';
import { backfillArgs, checkpointPages, slowBackfillArgs } from '../../helpers/backfillRuns.js';
import { eventually, queueDepth } from '../../helpers/queues.js';
import { startTestStack, type TestStack } from '../../helpers/testStack.js';
import { runCliChild, runCliInProcess, spawnCli } from './cliHarness.js';

/**
 * The CLI against the whole local stack: moto, the poller feeding the REAL user-sync consumer,
 * and the Hasura-compatible engine (PGlite, or PostgreSQL when DATABASE_URL is set).
 */
describe('Function: runCli over the local stack (rows in the users table)', () => {
  let test: TestStack | undefined;
  let env: Record<string, string>;
  const stack = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test.stack;
  };
  const rowIds = async (): Promise<Set<string>> =>
    new Set((await fetchSyncedUsers(stack().hasura)).map((row) => row.id));

  beforeAll(async () => {
    test = await startTestStack('cli', {
      // Failed records come back after 1 s, so poison reaches the DLQ after 5 receives quickly.
      visibilityTimeoutSeconds: 1,
      consumer: { maxBatchingWindowMs: 300, waitTimeSeconds: 1 },
      // The subscriber's consumer keeps its queue drained: moto slows down as a queue grows.
      exampleSubscriber: true,
    });
    env = {
      AWS_ENDPOINT_URL: stack().awsEndpoint,
      AWS_REGION: stack().region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }, 120_000);

  afterAll(async () => {
    await test?.stop();
  });

  it('brings every poison record back with replay-dlq once the cause is fixed, and the rows appear', async () => {
    // Prepare: Hasura rejects these users (CHECK constraint) until the constraint is dropped.
    await test?.sql(
      "ALTER TABLE users ADD CONSTRAINT cli_rejects_poison CHECK (username NOT LIKE 'poison-%')",
    );
    const poison = Array.from({ length: 6 }, (_, n) => ({
      ...simulatedUser(500 + n),
      username: `poison-${n}`,
    }));
    const healthy = Array.from({ length: 4 }, (_, n) => simulatedUser(600 + n));
    await Promise.all(
      [...poison, ...healthy].map((user) =>
        stack().postAuthentication(postAuthenticationEvent(user)),
      ),
    );
    const dlqUrl = stack().provisioned.syncQueue.dlqUrl;
    await eventually(async () => (await queueDepth(stack().aws.sqs, dlqUrl)).total === 6, 60_000);
    const before = await rowIds();
    expect(poison.some((user) => before.has(user.sub))).toBe(false);
    expect(healthy.every((user) => before.has(user.sub))).toBe(true);

    // Act: fix the cause, then replay.
    await test?.sql('ALTER TABLE users DROP CONSTRAINT cli_rejects_poison');
    const run = await runCliInProcess(['replay-dlq', '--json'], env);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ moved: 6, failed: 0 });
    await eventually(async () => {
      const rows = await rowIds();
      return poison.every((user) => rows.has(user.sub));
    }, 30_000);
    expect((await queueDepth(stack().aws.sqs, dlqUrl)).total).toBe(0);
  }, 120_000);

  it('shows queue depths, the DLQ, and the archive size in status --json', async () => {
    // Act
    const run = await runCliInProcess(['status', '--json'], env);

    // Assess
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      syncQueue: { name: 'cognito-hasura-sync-user-sync', depth: expect.any(Number) },
      dlq: { name: 'cognito-hasura-sync-user-sync-dlq', depth: 0, inFlight: 0 },
      archive: { name: 'cognito-hasura-sync-archive', eventCount: expect.any(Number) },
    });
    expect(status.archive.eventCount).toBeGreaterThanOrEqual(10);
  }, 30_000);

  it('drives sign-ins through the real trigger with simulate, and the rows appear', async () => {
    // Act
    const run = await runCliChild(['simulate', '--logins', '40', '--users', '8', '--json'], env);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      logins: 40,
      users: 8,
      published: 40,
      failed: 0,
    });
    await eventually(async () => {
      const rows = await rowIds();
      return Array.from({ length: 8 }, (_, n) => simulatedUser(n)).every((u) => rows.has(u.sub));
    }, 30_000);
  }, 60_000);

  it('rebuilds deleted rows from the archive with replay-archive', async () => {
    // Prepare: lose the rows (the archive still holds every login event).
    const expected = await rowIds();
    await test?.sql('DELETE FROM users');

    // Act
    const run = await runCliInProcess(
      ['replay-archive', '--from', '1h', '--poll-interval', '0.2', '--json'],
      env,
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      state: 'COMPLETED',
      ruleArn: expect.stringContaining('rule/cognito-hasura-sync/cognito-hasura-sync-user-sync'),
    });
    await eventually(async () => {
      const rows = await rowIds();
      return [...expected].every((id) => rows.has(id));
    }, 60_000);
  }, 90_000);

  describe('backfill of 1,000 Cognito users', () => {
    const BACKFILL_BUS = 'cli-backfill';
    let userPoolId: string;
    const subs = new Set<string>();
    const checkpoint = (name: string) => join(tmpdir(), `cli-rows-${name}-${process.pid}.json`);
    const allRowsPresent = async () => {
      const rows = await rowIds();
      return [...subs].every((sub) => rows.has(sub));
    };

    beforeAll(async () => {
      // moto's PutEvents slows down linearly with the size of the bus's archive (about 1 s per
      // call at 3,000 archived events), so the backfill publishes to a bus of its own, without
      // an archive, whose rule feeds the same sync queue, poller and consumer.
      await createBusWithSyncRule(
        stack().aws.eventBridge,
        BACKFILL_BUS,
        stack().provisioned.syncQueue.queueArn,
      );
      const cognito = new CognitoIdentityProviderClient({
        endpoint: stack().awsEndpoint,
        region: stack().region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      try {
        // The pool the local stack created: the one pool of moto its consumer applies events of.
        userPoolId = stack().userPoolId;
        const usernames = Array.from({ length: 1000 }, (_, n) => `bf-${n}`);
        await createUsers(cognito, userPoolId, usernames, (username) => [
          { Name: 'email', Value: `${username}@example.com` },
        ]);
        let token: string | undefined;
        do {
          const page = await cognito.send(
            new ListUsersCommand({
              UserPoolId: userPoolId,
              ...(token ? { PaginationToken: token } : {}),
            }),
          );
          for (const user of page.Users ?? []) {
            const sub = user.Attributes?.find((a) => a.Name === 'sub')?.Value;
            if (sub) subs.add(sub);
          }
          token = page.PaginationToken;
        } while (token);
      } finally {
        cognito.destroy();
      }
    }, 120_000);

    afterAll(async () => {
      await rm(checkpoint('full'), { force: true });
      await rm(checkpoint('killed'), { force: true });
    });

    it('yields 1,000 rows', async () => {
      // Act
      const run = await runCliInProcess(
        backfillArgs({
          userPoolId,
          bus: BACKFILL_BUS,
          checkpoint: checkpoint('full'),
          rate: 50,
          flags: ['-q'],
        }),
        env,
      );

      // Assess
      expect(run.code).toBe(0);
      expect(subs.size).toBe(1000);
      await eventually(allRowsPresent, 120_000);
      const rows = await fetchSyncedUsers(stack().hasura);
      expect(rows.filter((row) => subs.has(row.id))).toHaveLength(1000);
    }, 180_000);

    it('killed and resumed, still yields 1,000 rows: no page skipped', async () => {
      // Prepare: no rows, and a slow backfill (20 users a page, 4 pages a second) killed mid-way.
      await test?.sql('DELETE FROM users');
      const child = spawnCli(
        slowBackfillArgs({ userPoolId, bus: BACKFILL_BUS, checkpoint: checkpoint('killed') }),
        env,
      );
      await eventually(async () => (await checkpointPages(checkpoint('killed'))) >= 5, 30_000);
      child.child.kill('SIGKILL');
      await child.exited;

      // Act
      const resumed = await runCliInProcess(
        backfillArgs({
          userPoolId,
          bus: BACKFILL_BUS,
          checkpoint: checkpoint('killed'),
          rate: 50,
          flags: ['--resume', '-q'],
        }),
        env,
      );

      // Assess
      expect(resumed.code).toBe(0);
      await eventually(allRowsPresent, 120_000);
      const rows = await fetchSyncedUsers(stack().hasura);
      expect(rows.filter((row) => subs.has(row.id))).toHaveLength(1000);
    }, 180_000);
  });
});
