import { AdminGetUserCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from '../../../cli/rateLimiter.js';
import {
  type ReconcileRunState,
  reconcilePool,
} from '../../../services/reconcile/reconcilePool.js';
import { MOCK_POOL_ID as POOL, useReconcileMocks } from '../../helpers/reconcileMocks.js';
import { fakeUser, rowOf } from '../../helpers/reconcileWorld.js';

describe('Function: reconcilePool', () => {
  const mocks = useReconcileMocks();
  const { cognitoMock, eventBridgeMock, dependencies, settings } = mocks;

  /** `users` users in step, then drift of every class; returns the subs of each class. */
  const world = (users: number) => {
    for (let n = 0; n < users; n += 1) {
      const user = fakeUser(n);
      mocks.pool.add(user);
      mocks.table.put(rowOf(user));
    }
    const at = (n: number) => fakeUser(n).sub;
    // Rows deleted: missing.
    const missing = [at(1), at(2), at(3)];
    for (const sub of missing) mocks.table.rows.delete(sub);
    // Rows edited by hand, attributes changed in Cognito without an event, a disabled user.
    const stale = [at(10), at(11), at(12), at(13)];
    mocks.table.rows.set(at(10), { ...rowOf(fakeUser(10)), email: 'edited@example.com' });
    mocks.table.rows.set(at(11), { ...rowOf(fakeUser(11)), user_status: 'UNCONFIRMED' });
    const changed = mocks.pool.users.get('u-12');
    if (changed) changed.attributes.email = 'new@example.com';
    const disabled = mocks.pool.users.get('u-13');
    if (disabled) disabled.enabled = false;
    // Users created in Cognito without any event: missing too.
    for (let n = users; n < users + 2; n += 1) {
      mocks.pool.add(fakeUser(n));
      missing.push(fakeUser(n).sub);
    }
    // Users deleted in Cognito without any event: orphaned rows.
    const orphaned = [at(20), at(21)];
    mocks.pool.remove('u-20');
    mocks.pool.remove('u-21');
    return { missing, stale, orphaned };
  };

  it('counts every class exactly and publishes repairs only for drifted users', async () => {
    // Prepare
    const drift = world(300);

    // Act
    const report = await reconcilePool(dependencies(), settings(), { prefixLength: 0 });

    // Assess
    expect(report.counts).toEqual({ inStep: 300 - 3 - 4 - 2, missing: 5, stale: 4, orphaned: 2 });
    expect(report).toMatchObject({ complete: true, drift: true, deleted: 2, repaired: 11 });
    expect(report.staleFields).toEqual({ email: 2, status: 1, enabled: 1 });
    expect(cognitoMock.commandCalls(ListUsersCommand)[0]?.args[0].input).toMatchObject({
      Limit: 60,
      AttributesToGet: ['sub', 'email'],
    });
    const updated = mocks.published.filter((e) => e.DetailType === 'UserUpdated');
    const deleted = mocks.published.filter((e) => e.DetailType === 'UserDeleted');
    const subsOf = (entries: PutEventsRequestEntry[]) =>
      entries.map((e) => (JSON.parse(e.Detail ?? '{}') as { sub: string }).sub).sort();
    expect(subsOf(updated)).toEqual([...drift.missing, ...drift.stale].sort());
    expect(subsOf(deleted)).toEqual([...drift.orphaned].sort());
    const detail = JSON.parse(updated[0]?.Detail ?? '{}');
    expect(detail).toMatchObject({ cause: 'Reconcile', schemaVersion: 1, userPoolId: POOL });
    expect(Date.parse(detail.occurredAt)).toBeGreaterThan(Date.parse(report.timings.startedAt) - 1);
  });

  it('reports zero drift once the repairs are applied, and writes no in-step user', async () => {
    // Prepare
    const drift = world(200);
    await reconcilePool(dependencies(), settings(), { prefixLength: 1 });
    mocks.table.apply(mocks.published);
    mocks.published.length = 0;

    // Act
    const second = await reconcilePool(dependencies(), settings(), { prefixLength: 1 });

    // Assess
    expect(second.counts).toEqual({
      inStep: 200,
      missing: 0,
      stale: 0,
      orphaned: 0,
    });
    expect(second.drift).toBe(false);
    expect(mocks.published).toEqual([]);
    expect(mocks.table.written.sort()).toEqual(
      [...drift.missing, ...drift.stale, ...drift.orphaned].sort(),
    );
  });

  it('finds the same drift whatever the partitioning (sub ^= prefixes)', async () => {
    // Prepare
    world(500);

    // Act
    const reports = [];
    for (const prefixLength of [0, 1, 2]) {
      reports.push(
        await reconcilePool(dependencies(), settings({ dryRun: true }), { prefixLength }),
      );
    }

    // Assess
    expect(reports[1]?.counts).toEqual(reports[0]?.counts);
    expect(reports[2]?.counts).toEqual(reports[0]?.counts);
    expect(reports[2]?.partitions).toEqual({ prefixLength: 2, done: 256, total: 256 });
  });

  it('stops at --max-deletes with nothing deleted when the table belongs to another pool', async () => {
    // Prepare: Cognito holds 100 users, the table 100 rows of other users.
    for (let n = 0; n < 100; n += 1) {
      mocks.pool.add(fakeUser(n));
      mocks.table.put(rowOf(fakeUser(n, 'other')));
    }

    // Act
    const report = await reconcilePool(dependencies(), settings({ maxDeletes: 5 }), {
      prefixLength: 0,
    });

    // Assess
    expect(report).toMatchObject({ stoppedAtMaxDeletes: true, deleted: 0, complete: false });
    expect(report.counts.orphaned).toBe(6);
    expect(mocks.published.filter((e) => e.DetailType === 'UserDeleted')).toEqual([]);
  });

  it('publishes nothing on a dry run and counts orphans past --max-deletes', async () => {
    // Prepare
    for (let n = 0; n < 50; n += 1) mocks.table.put(rowOf(fakeUser(n)));

    // Act
    const report = await reconcilePool(dependencies(), settings({ dryRun: true, maxDeletes: 3 }), {
      prefixLength: 0,
    });

    // Assess
    expect(report.counts.orphaned).toBe(50);
    expect(report.samples.orphaned).toHaveLength(5);
    expect(mocks.published).toEqual([]);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('confirms orphans with AdminGetUser: a reused username is still an orphan, a late user is not', async () => {
    // Prepare
    const gone = fakeUser(1);
    mocks.table.put(rowOf(gone));
    mocks.pool.add({ ...fakeUser(2), username: gone.username });
    mocks.table.put(rowOf({ ...fakeUser(2), username: gone.username }));
    const late = fakeUser(3);
    mocks.table.put(rowOf(late));
    // ListUsers does not return the late user (created after its page was read).
    mocks.pool.add(late);
    const listUsers = mocks.pool.listUsers.bind(mocks.pool);
    mocks.pool.listUsers = (input) => {
      const page = listUsers(input);
      return { ...page, Users: page.Users.filter((u) => u.Username !== late.username) };
    };

    // Act
    const report = await reconcilePool(dependencies(), settings({ dryRun: true }), {
      prefixLength: 0,
    });

    // Assess
    expect(report.counts).toEqual({ inStep: 2, missing: 0, stale: 0, orphaned: 1 });
    expect(report.samples.orphaned).toEqual([gone.sub]);
    expect(cognitoMock.commandCalls(AdminGetUserCommand)).toHaveLength(2);
  });

  it('reports a user whose row is a tombstone without publishing for it', async () => {
    // Prepare
    const user = fakeUser(1);
    mocks.pool.add(user);
    mocks.table.put({ ...rowOf(user), deleted_at: '2026-01-02T00:00:00.000Z' });

    // Act
    const report = await reconcilePool(dependencies(), settings(), { prefixLength: 0 });

    // Assess
    expect(report.tombstoned).toBe(1);
    expect(report.counts).toEqual({ inStep: 0, missing: 0, stale: 0, orphaned: 0 });
    expect(mocks.published).toEqual([]);
  });

  it('counts a row written after the read as in step', async () => {
    // Prepare
    const user = fakeUser(1);
    mocks.pool.add(user);
    mocks.table.put({ ...rowOf(user, '2999-01-01T00:00:00.000Z'), email: 'newer@example.com' });

    // Act
    const report = await reconcilePool(dependencies(), settings(), { prefixLength: 0 });

    // Assess
    expect(report.counts.inStep).toBe(1);
    expect(mocks.published).toEqual([]);
  });

  it('resumes an interrupted run from its checkpoint with the same counts as one run', async () => {
    // Prepare: stop after the 3rd page of 60.
    world(400);
    const controller = new AbortController();
    let saved: { state: ReconcileRunState; seen: Set<string> } | undefined;
    const seen = new Set<string>();
    const checkpoint = {
      async savePage(state: ReconcileRunState, pageSubs: readonly string[]) {
        for (const sub of pageSubs) seen.add(sub);
        saved = { state: structuredClone(state), seen: new Set(seen) };
        if (state.tally.pages === 3) controller.abort();
      },
      async savePartition(state: ReconcileRunState) {
        seen.clear();
        saved = { state: structuredClone(state), seen: new Set() };
      },
    };
    const first = await reconcilePool(dependencies(), settings({ dryRun: true }), {
      prefixLength: 0,
      checkpoint,
      signal: controller.signal,
    });

    // Act
    const resumed = await reconcilePool(dependencies(), settings({ dryRun: true }), {
      prefixLength: 0,
      ...(saved ? { resume: saved } : {}),
    });
    const whole = await reconcilePool(dependencies(), settings({ dryRun: true }), {
      prefixLength: 0,
    });

    // Assess
    expect(first.interrupted).toBe(true);
    expect(first.pages).toBe(3);
    expect(resumed.complete).toBe(true);
    expect(resumed.counts).toEqual(whole.counts);
    expect(resumed.pages).toBe(whole.pages);
  });

  it('never makes more Cognito calls per second than the configured rate', async () => {
    // Prepare: 40 pages of 5 users, 20 calls per second.
    for (let n = 0; n < 200; n += 1) {
      mocks.pool.add(fakeUser(n));
      mocks.table.put(rowOf(fakeUser(n)));
    }
    const times: number[] = [];
    cognitoMock.on(ListUsersCommand).callsFake((input) => {
      times.push(Date.now());
      return mocks.pool.listUsers(input);
    });

    // Act
    await reconcilePool(
      dependencies(new RateLimiter({ perSecond: 20, burst: 1 })),
      settings({ pageSize: 5 }),
      { prefixLength: 0 },
    );

    // Assess: in every window of one second, at most 20 calls.
    expect(times).toHaveLength(40);
    const busiest = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
    );
    expect(busiest).toBeLessThanOrEqual(20);
    expect(busiest).toBeGreaterThanOrEqual(15);
  });
});
