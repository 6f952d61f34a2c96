import {
  CognitoIdentityProviderClient,
  paginateListUsers,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DeleteRuleCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { seededRandom } from '../../bench/loginStream.js';
import { localCredentials } from '../../cli/localCredentials.js';
import { postAuthenticationEvent } from '../../cli/simulateLogins.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { queueDepth, waitFor } from '../helpers/queues.js';
import {
  dropLocalArchive,
  type FaultScenario,
  fastStack,
  fmt,
  reportProgress,
  waitForDrain,
} from './faultHelpers.js';

/** Options of {@link lifecycleChurnScenario}. */
export interface LifecycleChurnOptions {
  /** @default 1000 */
  readonly users?: number;
  /** @default 10000 */
  readonly logins?: number;
  /** How long the lifecycle consumer is stopped in the middle of the run. @default 20000 */
  readonly pauseMs?: number;
}

/** A user as the scenario models Cognito's state of it. */
interface ModelUser {
  readonly username: string;
  sub: string;
  email: string;
  enabled: boolean;
  status: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';
  deleted: boolean;
  created: boolean;
}

/** One step of the run: a sign-in, or an administrator's change in Cognito. */
type Step =
  | { kind: 'login'; user: number }
  | { kind: 'update' | 'disable' | 'enable' | 'delete'; user: number };

/** A row as the scenario reads it back. */
interface Row {
  id: string;
  email: string | null;
  enabled: boolean | null;
  user_status: string | null;
  deleted_at: string | null;
}

/** Cognito's state of a user, read back with ListUsers. */
interface CognitoState {
  email: string | null;
  enabled: boolean;
  status: string;
}

const WORKERS = 8;

/** Sign-ins wait while the sync queue holds more messages than this. */
const MAX_SYNC_BACKLOG = 300;

/**
 * The lifecycle under churn: users signed up (post-confirmation) or created by an administrator
 * (CloudTrail → user-lifecycle), then sign-ins through the REAL post-authentication trigger
 * interleaved with email changes, disables, enables and deletions, each of which puts its
 * CloudTrail-shaped event on moto's default bus as AWS would. In the middle, the user-lifecycle
 * consumer is stopped for `pauseMs` (its queue keeps the hints). Afterwards every row must equal
 * Cognito's state read back with ListUsers, no deleted user may have a live row (resurrected), and
 * no Cognito user may lack one (lost).
 *
 * Steps of one user run in order (one worker per user), as a user's own requests do; different
 * users run concurrently. Disabled and deleted users do not sign in (Cognito refuses them).
 */
export const lifecycleChurnScenario = (options: LifecycleChurnOptions = {}): FaultScenario => {
  const userCount = options.users ?? 1000;
  const loginCount = options.logins ?? 10_000;
  const pauseMs = options.pauseMs ?? 20_000;
  return {
    name: `lifecycle churn: ${fmt(userCount)} users, ${fmt(loginCount)} logins interleaved with profile changes, disables, enables and deletions, the lifecycle consumer stopped ${pauseMs / 1000} s`,
    async run() {
      const base = fastStack({ visibilityTimeoutSeconds: 5, consumerTimeoutMs: 5000 });
      // The moto pool is the one the consumer must trust here: no USER_POOL_IDS override.
      const { USER_POOL_IDS: _bench, ...env } = base.env;
      const stack = await startLocalStack({ ...base, env });
      try {
        await dropLocalArchive(stack);
        await dropExampleSubscriber(stack);
        return await churn(stack, userCount, loginCount, pauseMs);
      } finally {
        await stack.stop();
      }
    },
  };
};

/**
 * Removes the example subscriber's rule: this scenario does not test subscribers, and a queue that
 * fills faster than its consumer drains it makes every SendMessage of moto slower (its cost grows
 * with the queue's length), until moto rather than the pipeline sets the pace.
 */
const dropExampleSubscriber = async (stack: LocalStack): Promise<void> => {
  const { ruleName } = stack.provisioned.subscriber;
  const bus = stack.provisioned.eventBusName;
  const { Targets: targets = [] } = await stack.aws.eventBridge.send(
    new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: bus }),
  );
  if (targets.length > 0) {
    await stack.aws.eventBridge.send(
      new RemoveTargetsCommand({
        Rule: ruleName,
        EventBusName: bus,
        Ids: targets.flatMap((target) => (target.Id === undefined ? [] : [target.Id])),
      }),
    );
  }
  await stack.aws.eventBridge.send(new DeleteRuleCommand({ Name: ruleName, EventBusName: bus }));
};

const churn = async (stack: LocalStack, userCount: number, loginCount: number, pauseMs: number) => {
  const random = seededRandom(1797);
  const { admin } = stack;
  const users: ModelUser[] = Array.from({ length: userCount }, (_, index) => ({
    username: `churn-${String(index).padStart(5, '0')}`,
    sub: '',
    email: `churn-${index}@example.com`,
    enabled: true,
    // Every other user is invited by an administrator and never signs in.
    status: index % 2 === 0 ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    deleted: false,
    created: false,
  }));

  // The plan: logins of confirmed users, and about one admin change per user.
  const steps: Step[] = [];
  const confirmed = users.flatMap((user, index) => (user.status === 'CONFIRMED' ? [index] : []));
  for (let i = 0; i < loginCount; i += 1) {
    steps.push({ kind: 'login', user: confirmed[Math.floor(random() * confirmed.length)] ?? 0 });
  }
  const adminKinds: Step['kind'][] = ['update', 'update', 'update', 'disable', 'enable', 'delete'];
  for (let i = 0; i < userCount; i += 1) {
    const kind = adminKinds[Math.floor(random() * adminKinds.length)] ?? 'update';
    steps.splice(Math.floor(random() * steps.length), 0, {
      kind,
      user: Math.floor(random() * userCount),
    });
  }

  const counts = { logins: 0, skippedLogins: 0, updates: 0, disables: 0, enables: 0, deletes: 0 };
  const stopProgress = reportProgress(
    stack,
    () =>
      `logins ${counts.logins} admin ${counts.updates + counts.disables + counts.enables + counts.deletes}`,
  );
  try {
    // 1. Users come into existence: confirmed sign-ups and administrator invitations.
    await runPerUser(
      users.map((_, index) => index),
      async (index) => {
        const user = users[index] as ModelUser;
        if (user.status === 'CONFIRMED') {
          await admin.signUp(user.username, user.email);
          user.sub = (await admin.confirmSignUp(user.username)).sub;
        } else {
          user.sub = (await admin.createUser(user.username, user.email)).sub;
        }
        user.created = true;
      },
    );

    // 2. The churn, with the lifecycle consumer stopped in the middle. Sign-ins wait while the
    // sync queue holds more than a few batches: moto's SendMessage costs O(queue length), so an
    // unbounded backlog would make moto, not the pipeline, the thing under test.
    let syncBacklog = 0;
    const sampler = setInterval(() => {
      void queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl).then(
        (depth) => {
          syncBacklog = depth.visible;
        },
        () => undefined,
      );
    }, 250);
    const paced = async (): Promise<void> => {
      while (syncBacklog > MAX_SYNC_BACKLOG)
        await new Promise((resolve) => setTimeout(resolve, 100));
    };
    const byUser = new Map<number, Step[]>();
    for (const step of steps) byUser.set(step.user, [...(byUser.get(step.user) ?? []), step]);
    let done = 0;
    let paused = false;
    const pauseAt = Math.floor(steps.length * 0.4);
    let resumeAt = 0;
    await runPerUser([...byUser.keys()], async (index) => {
      const user = users[index] as ModelUser;
      for (const step of byUser.get(index) ?? []) {
        done += 1;
        if (!paused && done >= pauseAt) {
          paused = true;
          stack.lifecyclePoller.pause();
          resumeAt = Date.now() + pauseMs;
          setTimeout(() => stack.lifecyclePoller.resume(), pauseMs).unref();
        }
        if (step.kind === 'login') await paced();
        await apply(stack, user, step, counts);
      }
    });
    clearInterval(sampler);
    // The churn may end before the pause does: the pause still lasts its full time.
    if (resumeAt > Date.now())
      await new Promise((resolve) => setTimeout(resolve, resumeAt - Date.now()));
    stack.lifecyclePoller.resume();

    // 3. Everything drains: the lifecycle hints, then the sync queue.
    const lifecycleEmpty = async (): Promise<boolean> => {
      const depth = await queueDepth(stack.aws.sqs, stack.lifecycle.queueUrl);
      return depth.total === 0 && stack.lifecyclePoller.stats().inFlight === 0;
    };
    await waitFor(lifecycleEmpty, pauseMs + 180_000, 500);
    const drained = await waitForDrain(stack, 180_000);

    // 4. Cognito's state, read back, against the table.
    const cognito = new Map<string, CognitoState>();
    const client = new CognitoIdentityProviderClient({
      endpoint: stack.awsEndpoint,
      region: stack.region,
      ...localCredentials(process.env),
    });
    for await (const page of paginateListUsers(
      { client, pageSize: 60 },
      { UserPoolId: stack.userPoolId },
    )) {
      for (const user of page.Users ?? []) {
        const attributes = new Map((user.Attributes ?? []).map((a) => [a.Name, a.Value]));
        const sub = attributes.get('sub');
        if (sub === undefined) continue;
        cognito.set(sub, {
          email: attributes.get('email') ?? null,
          enabled: user.Enabled ?? true,
          status: user.UserStatus ?? '',
        });
      }
    }
    client.destroy();
    const engine = stack.hasura.engine;
    if (engine === undefined) throw new Error('the scenario needs the embedded engine');
    const rows = new Map(
      (
        await engine.sql<Row>('SELECT id, email, enabled, user_status, deleted_at::text FROM users')
      ).map((row) => [row.id, row]),
    );
    let lost = 0;
    let stale = 0;
    let resurrected = 0;
    const problems: string[] = [];
    for (const [sub, state] of cognito) {
      const row = rows.get(sub);
      if (row === undefined || row.deleted_at !== null) {
        lost += 1;
        if (problems.length < 5)
          problems.push(`lost: ${sub} (${row === undefined ? 'no row' : 'tombstone'})`);
      } else if (
        row.email !== state.email ||
        row.enabled !== state.enabled ||
        row.user_status !== state.status
      ) {
        stale += 1;
        if (problems.length < 5) {
          problems.push(
            `stale: ${sub}: row (${row.email}, ${row.enabled}, ${row.user_status}) vs Cognito (${state.email}, ${state.enabled}, ${state.status})`,
          );
        }
      }
    }
    const deletedSubs = users.filter((user) => user.deleted).map((user) => user.sub);
    for (const sub of deletedSubs) {
      const row = rows.get(sub);
      if (row !== undefined && (row.deleted_at === null || row.email !== null)) {
        resurrected += 1;
        if (problems.length < 5) problems.push(`resurrected: ${sub}`);
      }
    }
    if (!drained) problems.push('the sync queue did not drain in time');
    const dlq = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl);
    const lifecycleDlq = await queueDepth(stack.aws.sqs, stack.lifecycle.dlqUrl);
    const passed =
      lost === 0 &&
      stale === 0 &&
      resurrected === 0 &&
      drained &&
      dlq.total === 0 &&
      lifecycleDlq.total === 0;
    return {
      passed,
      figure: `${fmt(cognito.size)} Cognito users equal to their rows ${fmt(cognito.size - lost - stale)}; ${fmt(counts.logins)} logins (${fmt(counts.skippedLogins)} refused: user disabled or deleted), ${fmt(counts.updates)} email changes, ${fmt(counts.disables)} disables, ${fmt(counts.enables)} enables, ${fmt(counts.deletes)} deletions; stale ${stale}, resurrected ${resurrected}, lost ${lost}; DLQs ${dlq.total}+${lifecycleDlq.total}`,
      ...(problems.length > 0 ? { problems } : {}),
    };
  } finally {
    stopProgress();
  }
};

/** Runs `work` for every key on {@link WORKERS} concurrent workers. */
const runPerUser = async (
  keys: readonly number[],
  work: (key: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < keys.length) {
        const key = keys[next] as number;
        next += 1;
        await work(key);
      }
    }),
  );
};

/** One step against Cognito (and the trigger), keeping the model in step. */
const apply = async (
  stack: LocalStack,
  user: ModelUser,
  step: Step,
  counts: Record<
    'logins' | 'skippedLogins' | 'updates' | 'disables' | 'enables' | 'deletes',
    number
  >,
): Promise<void> => {
  if (user.deleted) {
    if (step.kind === 'login') counts.skippedLogins += 1;
    return;
  }
  switch (step.kind) {
    case 'login':
      if (!user.enabled || user.status !== 'CONFIRMED') {
        counts.skippedLogins += 1;
        return;
      }
      await stack.postAuthentication(
        postAuthenticationEvent(
          { sub: user.sub, username: user.username, email: user.email },
          { userPoolId: stack.userPoolId, region: stack.region },
        ),
      );
      counts.logins += 1;
      return;
    case 'update':
      user.email = `churn-${user.username}-${counts.updates}@example.org`;
      await stack.admin.updateEmail(user.username, user.email);
      counts.updates += 1;
      return;
    case 'disable':
      await stack.admin.disable(user.username);
      user.enabled = false;
      counts.disables += 1;
      return;
    case 'enable':
      await stack.admin.enable(user.username);
      user.enabled = true;
      counts.enables += 1;
      return;
    case 'delete':
      await stack.admin.delete(user.username);
      user.deleted = true;
      counts.deletes += 1;
      return;
  }
};
