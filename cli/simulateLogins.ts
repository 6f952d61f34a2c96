import { createHash } from 'node:crypto';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { type LatencySummary, summarizeLatencies } from './latencySummary.js';

/**
 * The user pool of the simulated sign-ins (`simulate`, `npm start`); no such pool exists. The
 * local stack's consumer trusts it (`LOCAL_SETTINGS.simulatedUserPoolId`).
 */
export const SIMULATED_USER_POOL_ID = 'us-east-1_LocalPool1';

/** A simulated Cognito user. The same index always gives the same user, so re-runs update rows. */
export interface SimulatedUser {
  /** A UUID derived from the index, like Cognito's `sub`. */
  readonly sub: string;
  /** `user-00042`. */
  readonly username: string;
  /** `user-00042@example.com`. */
  readonly email: string;
}

/** Where the simulated users live. */
export interface SimulatedPool {
  /** @default SIMULATED_USER_POOL_ID ('us-east-1_LocalPool1') */
  readonly userPoolId?: string;
  /** @default 'localclient000000000000000' */
  readonly clientId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
}

/** Options of {@link simulateLogins}. */
export interface SimulateLoginsOptions extends SimulatedPool {
  /** The post-authentication trigger to call (the real one, built in-process). */
  readonly handler: (event: PostAuthenticationTriggerEvent) => Promise<unknown>;
  /** Sign-ins to simulate. */
  readonly logins: number;
  /** Distinct users they are spread over (round robin: every user signs in when logins ≥ users). */
  readonly users: number;
  /**
   * Sign-ins in flight at once.
   * @default 20
   */
  readonly concurrency?: number;
  /**
   * The users who sign in, when they are real users of a pool (the local stack creates them in
   * moto, whose subs are its own); the first `users` of them sign in.
   * @default - `simulatedUser(0)` … `simulatedUser(users - 1)`, users of no pool
   */
  readonly population?: readonly SimulatedUser[];
  /**
   * Called after every sign-in.
   * @default - nothing
   */
  readonly onProgress?: (completed: number, total: number) => void;
  /**
   * Stops starting new sign-ins when aborted (those in flight finish).
   * @default - never aborted
   */
  readonly signal?: AbortSignal;
}

/** What {@link simulateLogins} did. */
export interface SimulationResult {
  /** Sign-ins completed. */
  readonly logins: number;
  /** Users who signed in at least once. */
  readonly users: readonly SimulatedUser[];
  /**
   * Per `sub`: epoch ms just before that user's newest sign-in started. The trigger stamps
   * `authenticatedAt` after this instant, so a synced row has `last_seen_at` ≥ this value.
   */
  readonly newestLoginAt: ReadonlyMap<string, number>;
  readonly durationMs: number;
  /** Time the trigger took per sign-in (what the user waits for). */
  readonly handlerLatencyMs: LatencySummary;
}

/**
 * The simulated user number `index`.
 *
 * @example
 * simulatedUser(42).username; // 'user-00042'
 */
export const simulatedUser = (index: number): SimulatedUser => {
  const hex = createHash('sha256').update(`cognito-hasura-sync/local-user/${index}`).digest('hex');
  const username = `user-${String(index).padStart(5, '0')}`;
  return {
    // A version-4-shaped UUID, as Cognito's subs are.
    sub: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    username,
    email: `${username}@example.com`,
  };
};

/**
 * The Cognito post-authentication trigger event of one sign-in, as Cognito sends it
 * (`PostAuthentication_Authentication`, the user's attributes, the app client).
 */
export const postAuthenticationEvent = (
  user: SimulatedUser,
  pool: SimulatedPool = {},
): PostAuthenticationTriggerEvent => ({
  version: '1',
  region: pool.region ?? 'us-east-1',
  userPoolId: pool.userPoolId ?? SIMULATED_USER_POOL_ID,
  userName: user.username,
  triggerSource: 'PostAuthentication_Authentication',
  callerContext: {
    awsSdkVersion: 'aws-sdk-unknown-unknown',
    clientId: pool.clientId ?? 'localclient000000000000000',
  },
  request: {
    userAttributes: {
      sub: user.sub,
      email: user.email,
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
      // Never published (not on the allow-list): shows the filter at work.
      phone_number: '+15555550100',
    },
    newDeviceUsed: false,
  },
  response: {},
});

/**
 * Drives `logins` sign-ins of `users` users through a post-authentication trigger, with
 * `concurrency` in flight. Used by `npm start`, the CLI's `simulate` and the benchmarks.
 *
 * @example
 * const result = await simulateLogins({ handler: stack.postAuthentication, logins: 3000, users: 300 });
 */
export const simulateLogins = async (options: SimulateLoginsOptions): Promise<SimulationResult> => {
  const { logins, users } = options;
  if (!Number.isInteger(logins) || logins < 0)
    throw new RangeError('logins must be an integer ≥ 0');
  if (!Number.isInteger(users) || users < 1) throw new RangeError('users must be an integer ≥ 1');
  const size = Math.min(users, Math.max(logins, 1));
  const population =
    options.population === undefined
      ? Array.from({ length: size }, (_, index) => simulatedUser(index))
      : options.population.slice(0, size);
  if (population.length === 0) throw new RangeError('population must hold at least one user');
  const newestLoginAt = new Map<string, number>();
  const latencies: number[] = [];
  const started = Date.now();
  let next = 0;
  let completed = 0;

  const worker = async (): Promise<void> => {
    while (next < logins && options.signal?.aborted !== true) {
      const index = next;
      next += 1;
      const user = population[index % population.length];
      if (user === undefined) continue;
      const calledAt = Date.now();
      newestLoginAt.set(user.sub, Math.max(newestLoginAt.get(user.sub) ?? 0, calledAt));
      await options.handler(postAuthenticationEvent(user, options));
      latencies.push(Date.now() - calledAt);
      completed += 1;
      options.onProgress?.(completed, logins);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 20, logins)) }, () =>
      worker(),
    ),
  );

  return {
    logins: completed,
    users: population.filter((user) => newestLoginAt.has(user.sub)),
    newestLoginAt,
    durationMs: Date.now() - started,
    handlerLatencyMs: summarizeLatencies(latencies),
  };
};

/**
 * The users whose newest sign-in is not in the table yet: no row, or a row older than it.
 *
 * @param rows - the users table (`fetchSyncedUsers`).
 */
export const unsyncedUsers = (
  result: Pick<SimulationResult, 'users' | 'newestLoginAt'>,
  rows: readonly { id: string; last_seen_at: string }[],
): SimulatedUser[] => {
  const seen = new Map(rows.map((row) => [row.id, Date.parse(row.last_seen_at)]));
  return result.users.filter((user) => {
    const lastSeen = seen.get(user.sub);
    return lastSeen === undefined || lastSeen < (result.newestLoginAt.get(user.sub) ?? 0);
  });
};
