import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { toEnvelope, type UserAuthenticatedV1 } from '../shared/events/userAuthenticated.js';
import { pipeline } from '../shared/pipeline.js';

/** Options of {@link generateLoginStream}. */
export interface LoginStreamOptions {
  /** Number of logins (events). */
  readonly logins: number;
  /** Number of distinct users the logins are spread over. */
  readonly users: number;
  /**
   * Seed of the pseudo-random user choice, so every run (and every variant) sees the same stream.
   * @default 42
   */
  readonly seed?: number;
  /**
   * Milliseconds between consecutive logins' `authenticatedAt`.
   * @default 3
   */
  readonly stepMs?: number;
  /**
   * `authenticatedAt` of the first login.
   * @default Date.parse('2026-01-01T00:00:00.000Z')
   */
  readonly startMs?: number;
  /**
   * Prefix of `eventId`s, to keep streams of different runs apart.
   * @default 'bench'
   */
  readonly eventIdPrefix?: string;
}

/** The user pool id the generated events carry. */
export const BENCH_USER_POOL_ID = 'us-east-1_BenchPool1';

/** A deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** The Cognito `sub` of user number `n` (a UUID-shaped, stable id). */
export const subOf = (n: number): string =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * A stream of `UserAuthenticated` v1 events: `logins` sign-ins by `users` users, in time order,
 * each user chosen pseudo-randomly (every user signs in at least once when logins ≥ users).
 *
 * @example
 * const stream = generateLoginStream({ logins: 100_000, users: 20_000 });
 */
export const generateLoginStream = (options: LoginStreamOptions): UserAuthenticatedV1[] => {
  const random = seededRandom(options.seed ?? 42);
  const stepMs = options.stepMs ?? 3;
  const startMs = options.startMs ?? Date.parse('2026-01-01T00:00:00.000Z');
  const prefix = options.eventIdPrefix ?? 'bench';
  const events: UserAuthenticatedV1[] = [];
  for (let i = 0; i < options.logins; i += 1) {
    // The first `users` logins cover every user once, the rest are random repeat sign-ins.
    const n = i < options.users ? i : Math.floor(random() * options.users);
    events.push({
      schemaVersion: 1,
      eventId: `${prefix}-${i.toString().padStart(8, '0')}`,
      userPoolId: BENCH_USER_POOL_ID,
      sub: subOf(n),
      username: `user${n}`,
      clientId: 'benchclient0001',
      triggerSource: 'PostAuthentication_Authentication',
      authenticatedAt: new Date(startMs + i * stepMs).toISOString(),
      attributes: { email: `user${n}@example.com` },
    });
  }
  // Local swaps only (within 200 positions): a queue delivers roughly, not exactly, in order.
  for (let i = events.length - 1; i > 0; i -= 1) {
    const j = Math.max(0, i - Math.floor(random() * 200));
    const a = events[i] as UserAuthenticatedV1;
    events[i] = events[j] as UserAuthenticatedV1;
    events[j] = a;
  }
  return events;
};

/** Orders two events of one user: positive when `a` is newer (authenticatedAt, then eventId). */
export const compareEvents = (a: UserAuthenticatedV1, b: UserAuthenticatedV1): number => {
  if (a.authenticatedAt !== b.authenticatedAt)
    return a.authenticatedAt > b.authenticatedAt ? 1 : -1;
  if (a.eventId === b.eventId) return 0;
  return a.eventId > b.eventId ? 1 : -1;
};

/** The newest event of every user in `events` (newest wins: authenticatedAt, then eventId). */
export const newestByUser = (
  events: readonly UserAuthenticatedV1[],
): Map<string, UserAuthenticatedV1> => {
  const newest = new Map<string, UserAuthenticatedV1>();
  for (const event of events) {
    const current = newest.get(event.sub);
    if (current === undefined || compareEvents(event, current) > 0) newest.set(event.sub, event);
  }
  return newest;
};

/** The queue ARN the generated SQS records claim to come from. */
export const BENCH_QUEUE_ARN = `arn:aws:sqs:us-east-1:000000000000:${pipeline.syncQueue.name}`;

/**
 * An SQS record as the Lambda event source mapping delivers it, carrying `body` verbatim.
 *
 * @param body - the message body.
 * @param index - makes messageId / receiptHandle unique.
 * @param receiveCount - `ApproximateReceiveCount`.
 * @default receiveCount 1
 */
export const toSqsRecord = (body: string, index: number, receiveCount = 1): SQSRecord => {
  const now = String(Date.now());
  return {
    messageId: `00000000-0000-4000-9000-${index.toString(16).padStart(12, '0')}`,
    receiptHandle: `bench-receipt-${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: BENCH_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
};

/**
 * The SQS records a rule target would receive for `events`: each body is the EventBridge
 * envelope of one event.
 */
export const toSqsRecords = (events: readonly UserAuthenticatedV1[]): SQSRecord[] =>
  events.map((event, index) =>
    toSqsRecord(
      JSON.stringify(toEnvelope(event, { source: pipeline.eventSource, region: 'us-east-1' })),
      index,
    ),
  );
