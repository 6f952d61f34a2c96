import { sleep } from '../../bench/benchStats.js';
import { BENCH_USER_POOL_ID, newestByUser, seededRandom, subOf } from '../../bench/loginStream.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { queueDepth, sendBodies, waitFor } from '../helpers/queues.js';
import { type FaultScenario, fastStack, fmt, waitForDrain } from './faultHelpers.js';

/** Options of {@link applicationWritesScenario}. */
export interface ApplicationWritesOptions {
  /** @default 10000 */
  readonly logins?: number;
  /** Users; each gets one profile write of the application. @default 1000 */
  readonly users?: number;
  /** Users whose email the application erases. @default 100 */
  readonly erasures?: number;
  /**
   * Share of logins held back and delivered two waves late: logins in flight while the
   * application writes the row.
   * @default 0.1
   */
  readonly lateShare?: number;
}

/** A login as the post-authentication trigger publishes it, dated `at` (ms). */
const loginEvent = (index: number, user: number, at: number): UserAuthenticatedV1 => ({
  schemaVersion: 1,
  eventId: `appwrites-${index.toString().padStart(8, '0')}`,
  userPoolId: BENCH_USER_POOL_ID,
  sub: subOf(user),
  username: `user${user}`,
  clientId: 'appwritesclient01',
  triggerSource: 'PostAuthentication_Authentication',
  authenticatedAt: new Date(at).toISOString(),
  attributes: { email: `user${user}@example.com` },
});

/** Shuffles `items` in place (Fisher–Yates) and returns them. */
const shuffle = <T>(items: T[], random: () => number): T[] => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
};

/** One write of the application: a profile change, or the erasure of the email. */
type AppWrite =
  | { kind: 'profile'; user: number; displayName: string; plan: string }
  | { kind: 'erase'; user: number };

/** A row as the scenario reads it back (the sync's columns and the application's). */
interface UserState {
  id: string;
  username: string;
  email: string | null;
  last_event_id: string;
  display_name: string | null;
  plan: string | null;
}

const PLANS = ['free', 'pro', 'team'];

/** POSTs one GraphQL request with the admin secret; returns `data` or throws its errors. */
const graphql = async (
  stack: LocalStack,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, unknown>> => {
  const response = await fetch(stack.hasura.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hasura-admin-secret': stack.hasura.adminSecret,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.data === undefined) throw new Error(`Hasura refused: ${JSON.stringify(body.errors)}`);
  return body.data;
};

const PROFILE = `mutation Profile($id: String!, $name: String!, $plan: String!) {
  update_users_by_pk(pk_columns: {id: $id}, _set: {display_name: $name, plan: $plan}) { id }
}`;
const ERASE = `mutation Erase($id: String!) {
  update_users_by_pk(pk_columns: {id: $id}, _set: {email: null}) { id updated_at }
}`;

/**
 * The application and the sync share the table. Each of 1,000 users signs in first (its row
 * exists), then the other logins of the same users (10,000 in all) flow through the sync queue,
 * the poller and the consumer into the engine, 10% of them two waves late, while an application
 * process gives every user a `display_name` and `plan` and erases the email of 100 of them
 * (`update_users_by_pk`, as an application does through Hasura). Each erased user also signs in
 * just before the erasure, and that login is delivered after it (a login in flight).
 *
 * Logins are dated when they are sent (the clock of this process, which is also the engine's).
 * An erasure takes effect at the time the database records for it (`updated_at` of the erased
 * row, the statement's time). A login is newer than the erasure when its `authenticatedAt` lies
 * in a later millisecond. Afterwards: every application write is on its row; an erased user's
 * email is NULL unless that user's newest login is newer than the erasure (then it carries the
 * email again); every row holds the sync columns of its user's newest login; none is missing
 * and the DLQ is empty.
 */
export const applicationWritesScenario = (
  options: ApplicationWritesOptions = {},
): FaultScenario => ({
  name: 'application writes and erasures during logins',
  async run() {
    const logins = options.logins ?? 10_000;
    const users = options.users ?? 1000;
    const erasures = options.erasures ?? 100;
    const lateShare = options.lateShare ?? 0.1;
    const random = seededRandom(1414);
    const stack = await startLocalStack(
      fastStack({ visibilityTimeoutSeconds: 10, consumerTimeoutMs: 8000 }),
    );
    try {
      const engine = stack.hasura.engine;
      if (engine === undefined) throw new Error('this scenario needs the embedded engine');
      // The application's own columns, through run_sql so the engine's schema shows them.
      const ddl = await fetch(`${engine.endpoint}/v1/query`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hasura-admin-secret': stack.hasura.adminSecret,
        },
        body: JSON.stringify({
          type: 'run_sql',
          args: { sql: 'ALTER TABLE users ADD COLUMN display_name text, ADD COLUMN plan text' },
        }),
      });
      if (ddl.status !== 200) throw new Error(`run_sql failed: ${await ddl.text()}`);
      const queueUrl = stack.provisioned.syncQueue.queueUrl;
      const envelope = (event: UserAuthenticatedV1) =>
        JSON.stringify(toEnvelope(event, { source: pipeline.eventSource, region: stack.region }));

      // The logins: every user once, then the rest at random; one login per erasure is kept
      // for the moment of the erasure (below).
      const erasureCount = Math.min(erasures, users);
      const order = Array.from({ length: logins - erasureCount }, (_, i) =>
        i < users ? i : Math.floor(random() * users),
      );
      const events: UserAuthenticatedV1[] = [];
      const sentAt = new Map<string, number>();
      let sent = 0;
      const send = async (batch: UserAuthenticatedV1[]): Promise<void> => {
        await sendBodies(stack.aws.sqs, queueUrl, batch.map(envelope));
        const now = Date.now();
        for (const event of batch) sentAt.set(event.eventId, now);
        sent += batch.length;
      };

      // First logins: every row exists before the application writes it.
      const first = order.slice(0, users).map((user, i) => loginEvent(i, user, Date.now()));
      events.push(...first);
      await send(first);
      await waitForDrain(stack, 120_000);

      // The application's writes, in random order; an erased user also gets a profile write.
      // Erasures come among the last 300 writes, so that some of them see no newer login.
      const writes: AppWrite[] = Array.from({ length: users }, (_, user) => ({
        kind: 'profile',
        user,
        displayName: `Display ${user} ${Math.floor(random() * 1e6)}`,
        plan: PLANS[Math.floor(random() * PLANS.length)] ?? 'free',
      }));
      shuffle(writes, random);
      const erased = new Set<number>();
      while (erased.size < erasureCount) erased.add(Math.floor(random() * users));
      const tail = writes.splice(Math.max(0, writes.length - 200));
      tail.push(...[...erased].map((user): AppWrite => ({ kind: 'erase', user })));
      writes.push(...shuffle(tail, random));
      const profiles = new Map<number, { displayName: string; plan: string }>();
      const erasedAt = new Map<number, { at: number; done: number }>();
      let refused = 0;
      const rest = order.length - users;
      let inFlightIndex = order.length;
      // The application writes while the logins flow: write k waits until its share of the
      // logins has been sent, and all are done with 5% of the logins still to come.
      const application = (async () => {
        for (const [k, write] of writes.entries()) {
          const due = users + Math.floor(((k + 1) / writes.length) * rest * 0.95);
          while (sent < due) await sleep(5);
          const id = subOf(write.user);
          if (write.kind === 'profile') {
            const data = await graphql(stack, PROFILE, {
              id,
              name: write.displayName,
              plan: write.plan,
            });
            if (data.update_users_by_pk === null) refused += 1;
            profiles.set(write.user, { displayName: write.displayName, plan: write.plan });
          } else {
            // The user signs in just as the application erases the email: that login, dated
            // before the erasure, is still in flight and arrives after it.
            const inFlight = loginEvent(inFlightIndex, write.user, Date.now());
            inFlightIndex += 1;
            events.push(inFlight);
            const data = await graphql(stack, ERASE, { id });
            const row = data.update_users_by_pk as { updated_at: string } | null;
            if (row === null) refused += 1;
            else erasedAt.set(write.user, { at: Date.parse(row.updated_at), done: Date.now() });
            await send([inFlight]);
          }
        }
      })();

      // The other logins, dated as they are sent, in waves; some are delivered two waves late.
      const held: UserAuthenticatedV1[][] = [];
      const waveSize = 200;
      for (let start = users; start < order.length; start += waveSize) {
        await waitFor(
          async () => (await queueDepth(stack.aws.sqs, queueUrl)).visible < waveSize / 4,
          60_000,
          50,
        );
        const wave = order
          .slice(start, start + waveSize)
          .map((user, i) => loginEvent(start + i, user, Date.now()));
        events.push(...wave);
        const onTime = wave.filter(() => random() >= lateShare);
        const late = wave.filter((event) => !onTime.includes(event));
        held.push(late);
        const due = held.length > 2 ? (held.shift() ?? []) : [];
        await send([...onTime, ...due]);
      }
      for (const late of held) await send(late);
      await application;
      await waitForDrain(stack, 180_000);

      // Read back: the sync columns and the application's.
      const data = await graphql(
        stack,
        '{ users { id username email last_event_id display_name plan } }',
      );
      const rows = new Map((data.users as UserState[]).map((row) => [row.id, row]));
      const dlq = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl);
      const newest = newestByUser(events);
      let lost = 0;
      let onNewest = 0;
      let kept = 0;
      let stillErased = 0;
      let restored = 0;
      let wrongEmail = 0;
      let inFlightStale = 0;
      for (let user = 0; user < users; user += 1) {
        const id = subOf(user);
        const row = rows.get(id);
        const login = newest.get(id);
        if (row === undefined || login === undefined) {
          lost += 1;
          continue;
        }
        if (row.last_event_id === login.eventId && row.username === login.username) onNewest += 1;
        const profile = profiles.get(user);
        if (row.display_name === profile?.displayName && row.plan === profile?.plan) kept += 1;
        const erasure = erasedAt.get(user);
        const loginEmail = login.attributes.email ?? null;
        if (erasure === undefined) {
          if (row.email !== loginEmail) wrongEmail += 1;
          continue;
        }
        // Logins dated at or before the erasure's millisecond never bring the email back.
        for (const event of events) {
          if (event.sub !== id || Date.parse(event.authenticatedAt) > erasure.at) continue;
          if ((sentAt.get(event.eventId) ?? 0) > erasure.done) inFlightStale += 1;
        }
        const newer = Date.parse(login.authenticatedAt) > erasure.at;
        if (row.email === (newer ? loginEmail : null)) {
          if (newer) restored += 1;
          else stillErased += 1;
        } else wrongEmail += 1;
      }
      const problems: string[] = [];
      const writesDone = profiles.size + erasedAt.size;
      if (refused > 0) problems.push(`${refused} application writes found no row`);
      if (kept !== users) problems.push(`${users - kept} users lost an application write`);
      if (stillErased + restored !== erased.size) {
        problems.push(
          `${erased.size - stillErased - restored} erasures broken or wrongly restored`,
        );
      }
      if (wrongEmail > 0) problems.push(`${wrongEmail} users with another email than expected`);
      if (onNewest !== users - lost) {
        problems.push(`${users - lost - onNewest} users not on their newest login`);
      }
      if (lost > 0) problems.push(`${lost} users missing`);
      if (dlq.total !== 0) problems.push(`${dlq.total} messages in the DLQ`);
      return {
        passed: problems.length === 0,
        figure:
          `${fmt(kept)} of ${fmt(writesDone - erasedAt.size)} profile writes kept; ` +
          `${fmt(stillErased + restored)} of ${fmt(erased.size)} erasures hold (${fmt(stillErased)} still erased, ` +
          `${fmt(restored)} carried again by a newer login; ${fmt(inFlightStale)} older logins arrived after them); ` +
          `${fmt(onNewest)} of ${fmt(users)} users on their newest of ${fmt(logins)} logins; lost ${fmt(lost)}`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
});
