import { randomUUID } from 'node:crypto';
import { sleep } from '../../bench/benchStats.js';
import { postAuthenticationEvent } from '../../bench/cognitoTriggerEvent.js';
import { BENCH_USER_POOL_ID, seededRandom, subOf } from '../../bench/loginStream.js';
import { loginEventId } from '../../services/post-authentication/loginEventDetail.js';
import type { PostAuthenticationHandler } from '../../services/post-authentication/postAuthentication.js';
import { lambdaContext } from '../helpers/lambdaContexts.js';

/** Options of {@link driveLogins}. */
export interface DriveLoginsOptions {
  readonly logins: number;
  readonly users: number;
  /**
   * Sign-ins in flight (a user never has two at once).
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * First user number, to keep scenarios' users apart.
   * @default 0
   */
  readonly firstUser?: number;
  /**
   * Seed of the pseudo-random order of sign-ins.
   * @default 7
   */
  readonly seed?: number;
  /** Awaited before each sign-in (back-pressure: keep moto's queue shallow). */
  readonly beforeLogin?: () => Promise<void>;
  /** Called after each sign-in with the number done so far. */
  readonly onProgress?: (done: number) => void | Promise<void>;
}

/** What {@link driveLogins} did. */
export interface DrivenLogins {
  /** The eventId of each user's LAST sign-in: the row must end up holding it. */
  readonly newest: Map<string, { eventId: string }>;
  /** Wall time of each trigger invocation, ms. */
  readonly handlerMs: number[];
  readonly wallMs: number;
}

/**
 * Signs `users` users in `logins` times through a post-authentication trigger, in a pseudo-random
 * order, as Cognito would invoke it. Each invocation gets a fresh `awsRequestId`, so its
 * `eventId` is known in advance (`loginEventId`); a user's sign-ins run one after another at
 * least 2 ms apart, so the last one issued is the newest.
 *
 * @param handler - the REAL trigger (from the local stack or built with injected clients).
 */
export const driveLogins = async (
  handler: PostAuthenticationHandler,
  options: DriveLoginsOptions,
): Promise<DrivenLogins> => {
  const concurrency = options.concurrency ?? 16;
  const firstUser = options.firstUser ?? 0;
  const random = seededRandom(options.seed ?? 7);
  // Every user signs in at least once, the rest are repeat sign-ins in random order.
  const order = Array.from({ length: options.logins }, (_, i) =>
    i < options.users ? i : Math.floor(random() * options.users),
  );
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  // One lane per residue class: a user's sign-ins stay in one lane, hence sequential.
  const lanes: number[][] = Array.from({ length: concurrency }, () => []);
  for (const user of order) lanes[user % concurrency]?.push(user);

  const newest = new Map<string, { eventId: string }>();
  const lastStart = new Map<number, number>();
  const handlerMs: number[] = [];
  let done = 0;
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const user of lane) {
        await options.beforeLogin?.();
        const n = firstUser + user;
        const gap = Date.now() - (lastStart.get(n) ?? 0);
        if (gap < 2) await sleep(2 - gap + 1);
        lastStart.set(n, Date.now());
        const awsRequestId = randomUUID();
        const invocationStart = performance.now();
        await handler(postAuthenticationEvent(n), lambdaContext(3000, awsRequestId));
        handlerMs.push(performance.now() - invocationStart);
        newest.set(subOf(n), { eventId: loginEventId(BENCH_USER_POOL_ID, subOf(n), awsRequestId) });
        done += 1;
        await options.onProgress?.(done);
      }
    }),
  );
  return { newest, handlerMs, wallMs: performance.now() - started };
};
