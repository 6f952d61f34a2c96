import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUserPool } from '../../helpers/awsResources.js';
import { eventually } from '../../helpers/queues.js';
import { createCognitoUsers, type FakeCognitoUser } from '../../helpers/reconcileWorld.js';
import { startTestStack, type TestStack } from '../../helpers/testStack.js';
import { runCliInProcess } from './cliHarness.js';

/** Users of the pool (`RECONCILE_TEST_USERS` runs a smaller pool while developing). */
const USERS = Number(process.env.RECONCILE_TEST_USERS ?? 20_000);

/**
 * reconcile against the whole local stack: Cognito on moto, the users table on the engine
 * (PGlite, or PostgreSQL with DATABASE_URL), repairs through the bus, the sync rule, the queue
 * and the real consumer.
 */
describe('Function: runCli reconcile (moto Cognito, the local pipeline and engine)', () => {
  let test: TestStack;
  let cognito: CognitoIdentityProviderClient;
  let directory: string;
  let env: Record<string, string>;
  let users: FakeCognitoUser[];
  const drift = { missing: [] as string[], stale: [] as string[], orphaned: [] as string[] };
  const timings: Record<string, number> = {};

  const reconcile = (args: string[]) =>
    runCliInProcess(['reconcile', '--rate', 'off', '--json', '-q', ...args], env);

  beforeAll(async () => {
    test = await startTestStack('reconcile', {
      visibilityTimeoutSeconds: 2,
      consumer: { maxBatchingWindowMs: 200, waitTimeSeconds: 1 },
      exampleSubscriber: false,
    });
    const { stack } = test;
    env = {
      AWS_ENDPOINT_URL: stack.awsEndpoint,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      HASURA_GRAPHQL_ENDPOINT: stack.hasura.graphqlUrl,
      HASURA_ADMIN_SECRET: stack.hasura.adminSecret,
      EVENT_BUS_NAME: stack.provisioned.eventBusName,
      USER_POOL_ID: stack.userPoolId,
    };
    cognito = new CognitoIdentityProviderClient({
      endpoint: stack.awsEndpoint,
      region: stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    directory = await mkdtemp(join(tmpdir(), 'cli-reconcile-'));

    // The pool, and rows in step with it as the consumer writes them (one INSERT).
    let started = Date.now();
    users = await createCognitoUsers(cognito, stack.userPoolId, USERS);
    timings.createUsersMs = Date.now() - started;
    // Chunks: the tombstone trigger takes an advisory lock per sub, and one transaction's locks
    // are bounded (max_locks_per_transaction).
    for (let start = 0; start < users.length; start += 500) {
      const chunk = users.slice(start, start + 500);
      await test.sql(
        `INSERT INTO users (id, username, email, enabled, user_status, last_event_at, last_event_id)
         SELECT id, username, email, true, status, '2026-01-01T00:00:00Z', 'seed'
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, username, email, status)`,
        [
          chunk.map((u) => u.sub),
          chunk.map((u) => u.username),
          chunk.map((u) => u.attributes.email),
          chunk.map((u) => u.status),
        ],
      );
    }

    // Drift of every class, none of it through an event.
    started = Date.now();
    const pick = (from: number, count: number) => users.slice(from, from + count);
    const subs = (list: FakeCognitoUser[]) => list.map((user) => user.sub);
    drift.missing.push(...subs(pick(0, 40)));
    await test.sql('DELETE FROM users WHERE id = ANY($1)', [subs(pick(0, 40))]); // rows deleted
    drift.stale.push(...subs(pick(100, 30)));
    await test.sql("UPDATE users SET email = 'edited-by-hand@example.com' WHERE id = ANY($1)", [
      subs(pick(100, 30)),
    ]); // rows edited
    for (const user of pick(200, 20)) {
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: stack.userPoolId,
          Username: user.username,
          UserAttributes: [{ Name: 'email', Value: `changed-${user.username}@example.com` }],
        }),
      );
      drift.stale.push(user.sub);
    }
    for (const user of pick(300, 5)) {
      await cognito.send(
        new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: user.username }),
      );
      drift.stale.push(user.sub);
    }
    for (const user of pick(400, 8)) {
      await cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: user.username }),
      );
      drift.orphaned.push(user.sub);
    }
    // Users created in Cognito without any event.
    for (const user of await createCognitoUsers(cognito, stack.userPoolId, 25, {
      prefix: 'late',
    })) {
      drift.missing.push(user.sub);
    }
    timings.driftMs = Date.now() - started;
  }, 900_000);

  afterAll(async () => {
    cognito?.destroy();
    await test?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('counts every class exactly, the pipeline applies the repairs, and a second run (partitioned by sub ^=) finds no drift', async () => {
    // Prepare
    const [{ now: before } = { now: '' }] = await test.sql<{ now: string }>(
      'SELECT now()::text AS now',
    );
    const drifted = [...drift.missing, ...drift.stale, ...drift.orphaned];

    // Act
    let started = Date.now();
    const run = await reconcile(['--checkpoint', join(directory, 'repair.json')]);
    timings.repairRunMs = Date.now() - started;
    started = Date.now();
    await eventually(async () => {
      const [applied] = await test.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE id = ANY($1) AND updated_at > $2::timestamptz`,
        [drifted, before],
      );
      return applied?.n === drifted.length;
    }, 180_000);
    timings.pipelineMs = Date.now() - started;
    started = Date.now();
    const second = await reconcile([
      '--partition-depth',
      '1',
      '--checkpoint',
      join(directory, 'second.json'),
    ]);
    timings.secondRunMs = Date.now() - started;

    // Assess
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toEqual({
      inStep: USERS - 40 - 30 - 20 - 5 - 8,
      missing: drift.missing.length,
      stale: drift.stale.length,
      orphaned: drift.orphaned.length,
    });
    expect(report.staleFields).toEqual({ email: 50, enabled: 5 });
    expect(report.samples.orphaned.every((sub: string) => drift.orphaned.includes(sub))).toBe(true);
    expect(JSON.stringify(report)).not.toContain('@example.com');
    expect(report).toMatchObject({ repaired: drifted.length, deleted: 8, complete: true });
    // No user in step was written: only the drifted rows changed.
    const [written] = await test.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE updated_at > $1::timestamptz',
      [before],
    );
    expect(written?.n).toBe(drifted.length);
    const [deleted] = await test.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE deleted_at IS NOT NULL AND id = ANY($1)',
      [drift.orphaned],
    );
    expect(deleted?.n).toBe(8);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      counts: { inStep: USERS - 8 + 25, missing: 0, stale: 0, orphaned: 0 },
      partitions: { prefixLength: 1, done: 16, total: 16 },
      drift: false,
    });
    process.stderr.write(
      `reconcile on moto + engine, ${USERS} users: ${JSON.stringify(timings)}\n`,
    );
  }, 900_000);

  it('stops at --max-deletes with nothing deleted when pointed at the wrong pool', async () => {
    // Prepare: an empty pool against the full table.
    const wrongPool = await createUserPool(cognito, 'wrong-pool');
    const liveRows = async () =>
      (
        await test.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM users WHERE deleted_at IS NULL',
        )
      )[0]?.n;
    const live = await liveRows();

    // Act
    const run = await reconcile([
      '--user-pool-id',
      wrongPool,
      '--max-deletes',
      '3',
      '--checkpoint',
      join(directory, 'wrong.json'),
    ]);

    // Assess
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout)).toMatchObject({
      stoppedAtMaxDeletes: true,
      deleted: 0,
      repaired: 0,
      counts: { orphaned: 4 },
    });
    expect(await liveRows()).toBe(live);
  }, 120_000);
});
