import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { toPutEventsEntry } from '../../cli/backfillEvent.js';
import { DETAIL_TYPES, type SyncEvent, toSyncEnvelope } from '../../shared/events/syncEvent.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  deletedDetail,
  signedUpDetail,
  updatedDetail,
  userDetail,
} from '../fixtures/sqs/sqsFactories.js';
import { eventually, messageCount } from '../helpers/queues.js';
import { startTestStack, type TestStack } from '../helpers/testStack.js';
import { runCliInProcess } from './cli/cliHarness.js';

jest.setTimeout(120_000);

/** The row columns the lifecycle sets, times as ISO strings. */
interface LifecycleRow {
  id: string;
  username: string | null;
  email: string | null;
  enabled: boolean | null;
  user_status: string | null;
  last_seen_at: string | null;
  deleted_at: string | null;
}

const ago = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString();

/**
 * Lifecycle events through the whole local stack: put on the bus, routed by the sync rule to
 * the sync queue, applied by the REAL consumer to the engine's users table (PGlite, or
 * PostgreSQL when DATABASE_URL is set); and a deletion that replays of older logins, from the
 * DLQ and from the archive, do not undo.
 */
describe('Function: startLocalStack (lifecycle events, rule → queue → consumer)', () => {
  let test: TestStack | undefined;
  let env: Record<string, string>;
  const stack = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test.stack;
  };
  const put = async (events: readonly SyncEvent[]): Promise<void> => {
    const answer = await stack().aws.eventBridge.send(
      new PutEventsCommand({
        Entries: events.map((event) =>
          toPutEventsEntry(event, {
            eventBusName: pipeline.eventBusName,
            source: pipeline.eventSource,
          }),
        ),
      }),
    );
    expect(answer.FailedEntryCount ?? 0).toBe(0);
  };
  const rowOf = async (sub: string): Promise<LifecycleRow | undefined> => {
    const [row] = await (test?.sql<Record<string, unknown>>(
      `SELECT id, username, email, enabled, user_status, last_seen_at, deleted_at
         FROM users WHERE id = $1`,
      [sub],
    ) ?? Promise.resolve([]));
    if (row === undefined) return undefined;
    const iso = (value: unknown) =>
      value === null ? null : new Date(value as string).toISOString();
    return {
      ...(row as unknown as LifecycleRow),
      last_seen_at: iso(row.last_seen_at),
      deleted_at: iso(row.deleted_at),
    };
  };
  /** What the `user` role may read of its own row (the metadata's select permission). */
  const visibleToUser = async (sub: string): Promise<unknown> => {
    const response = await fetch(stack().hasura.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hasura-admin-secret': stack().hasura.adminSecret,
        'x-hasura-role': 'user',
        'x-hasura-user-id': sub,
      },
      body: JSON.stringify({ query: '{ users { id } }' }),
    });
    return response.json();
  };
  const login = (sub: string, eventId: string, authenticatedAt: string): SyncEvent => ({
    type: DETAIL_TYPES.authenticated,
    detail: userDetail({
      userPoolId: stack().userPoolId,
      sub,
      eventId,
      authenticatedAt,
      username: `user-${sub}`,
      attributes: { email: `${sub}@example.com` },
    }),
  });
  const deletion = (sub: string, eventId: string, occurredAt: string): SyncEvent => ({
    type: DETAIL_TYPES.deleted,
    detail: deletedDetail({ userPoolId: stack().userPoolId, sub, eventId, occurredAt }),
  });
  const tombstone = (sub: string, deletedAt: string): LifecycleRow => ({
    id: sub,
    username: null,
    email: null,
    enabled: null,
    user_status: null,
    last_seen_at: null,
    deleted_at: deletedAt,
  });

  beforeAll(async () => {
    test = await startTestStack('lifecycle', {
      visibilityTimeoutSeconds: 1,
      consumer: { maxBatchingWindowMs: 200, waitTimeSeconds: 1 },
      exampleSubscriber: false,
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

  it('applies a sign-up, a disable and a deletion put on the bus to the row', async () => {
    // Prepare
    const sub = 'lc-user-1';
    const pool = stack().userPoolId;
    const signUp: SyncEvent = {
      type: DETAIL_TYPES.signedUp,
      detail: signedUpDetail({ userPoolId: pool, sub, eventId: 'lc-1-up', occurredAt: ago(60) }),
    };
    const disable: SyncEvent = {
      type: DETAIL_TYPES.updated,
      detail: updatedDetail({ userPoolId: pool, sub, eventId: 'lc-1-off', occurredAt: ago(50) }),
    };
    const deletedAt = ago(40);

    // Act + Assess, one step at a time
    await put([signUp]);
    await eventually(async () => (await rowOf(sub))?.enabled === true, 30_000);
    expect(await rowOf(sub)).toEqual({
      id: sub,
      username: 'alice',
      email: 'alice@example.com',
      enabled: true,
      user_status: 'CONFIRMED',
      last_seen_at: null,
      deleted_at: null,
    });
    expect(await visibleToUser(sub)).toEqual({ data: { users: [{ id: sub }] } });

    await put([disable]);
    await eventually(async () => (await rowOf(sub))?.enabled === false, 30_000);
    expect(await rowOf(sub)).toMatchObject({ email: 'alice@example.org', enabled: false });

    await put([deletion(sub, 'lc-1-gone', deletedAt)]);
    await eventually(async () => (await rowOf(sub))?.deleted_at !== null, 30_000);
    expect(await rowOf(sub)).toEqual(tombstone(sub, deletedAt));
    expect(await visibleToUser(sub)).toEqual({ data: { users: [] } });
  });

  it('resurrects nothing when older logins come back through replay-dlq and replay-archive', async () => {
    // Prepare: two logins, then the deletion, all through the bus (and so into its archive).
    const sub = 'lc-user-2';
    await put([login(sub, 'lc-2-a', ago(50)), login(sub, 'lc-2-b', ago(45))]);
    await eventually(async () => (await rowOf(sub))?.last_seen_at !== null, 30_000);
    const deletedAt = ago(30);
    await put([deletion(sub, 'lc-2-gone', deletedAt)]);
    await eventually(async () => (await rowOf(sub))?.deleted_at !== null, 30_000);

    // Act 1: an older login of the user sits in the DLQ beside a sentinel's login; replay them.
    const sentinel = 'lc-sentinel-dlq';
    for (const event of [login(sub, 'lc-2-dlq', ago(55)), login(sentinel, 'lc-s-1', ago(20))]) {
      await stack().aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack().provisioned.syncQueue.dlqUrl,
          MessageBody: JSON.stringify(
            toSyncEnvelope(event, { source: pipeline.eventSource, region: stack().region }),
          ),
        }),
      );
    }
    const replayedDlq = await runCliInProcess(['replay-dlq', '--json'], env);
    await eventually(async () => (await rowOf(sentinel)) !== undefined, 30_000);

    // Assess 1
    expect(replayedDlq.code).toBe(0);
    expect(JSON.parse(replayedDlq.stdout)).toMatchObject({ moved: 2, failed: 0 });
    expect(await rowOf(sub)).toEqual(tombstone(sub, deletedAt));

    // Act 2: the archive replays both logins (and the deletion); a sentinel row deleted from the
    // table comes back, which shows the replayed events were applied.
    const archived = 'lc-sentinel-archive';
    await put([login(archived, 'lc-s-2', ago(15))]);
    await eventually(async () => (await rowOf(archived)) !== undefined, 30_000);
    await test?.sql('DELETE FROM users WHERE id = $1', [archived]);
    const replayedArchive = await runCliInProcess(
      ['replay-archive', '--from', '1h', '--poll-interval', '0.2', '--json'],
      env,
    );
    await eventually(async () => (await rowOf(archived)) !== undefined, 60_000);
    await eventually(
      async () =>
        (await messageCount(stack().aws.sqs, stack().provisioned.syncQueue.queueUrl)) === 0,
      60_000,
    );

    // Assess 2
    expect(replayedArchive.code).toBe(0);
    expect(JSON.parse(replayedArchive.stdout)).toMatchObject({ state: 'COMPLETED' });
    expect(await rowOf(sub)).toEqual(tombstone(sub, deletedAt));
    expect(await messageCount(stack().aws.sqs, stack().provisioned.syncQueue.dlqUrl)).toBe(0);
  });
});
