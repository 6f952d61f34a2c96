import { describe, expect, it } from '@jest/globals';
import { type Clock, retryTransient } from '../../../services/user-sync/retryTransient.js';
import { AMBIGUOUS_MAX_ATTEMPTS } from '../../../shared/hasuraClient/classifyHasuraError.js';
import { HasuraRequestError } from '../../../shared/hasuraClient/HasuraRequestError.js';

/** A clock that only moves when the code sleeps; `random()` always returns `jitter`. */
const fakeClock = (jitter: number): Clock & { slept: number[] } => {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => jitter,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
};

const settings = { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 8, safetyMarginMs: 0 };
const unavailable = () => new HasuraRequestError('transient', 'postgres-error', 'connection error');
const ambiguous = () => new HasuraRequestError('ambiguous', 'unexpected', 'database query error');

/**
 * An attempt that throws `error()` on its first `failures` calls and then returns `'written'`;
 * `calls` counts them.
 */
const failingAttempt = (failures: number, error: () => HasuraRequestError) => {
  const counted = {
    calls: 0,
    attempt: async (): Promise<string> => {
      counted.calls += 1;
      if (counted.calls <= failures) throw error();
      return 'written';
    },
  };
  return counted;
};

/** The options of a call: a deadline a minute away unless `overrides` say. */
const retryOptions = (
  clock: Clock,
  overrides: Partial<Parameters<typeof retryTransient>[1]> = {},
): Parameters<typeof retryTransient>[1] => ({
  settings,
  clock,
  deadline: clock.now() + 60_000,
  ...overrides,
});

describe('Function: retryTransient', () => {
  it('backs off exponentially with full jitter under the maximum delay', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    const { attempt } = failingAttempt(6, unavailable);

    // Act
    const result = await retryTransient(attempt, retryOptions(clock));

    // Assess
    expect(result).toBe('written');
    expect(clock.slept).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('gives up with the transient error when the next try would pass the deadline', async () => {
    // Prepare
    const clock = fakeClock(0.99);
    const timeouts: number[] = [];
    const attempt = async (timeoutMs: number) => {
      timeouts.push(timeoutMs);
      throw unavailable();
    };

    // Act
    const failure = await retryTransient(
      attempt,
      retryOptions(clock, { deadline: clock.now() + 400 }),
    ).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'postgres-error' });
    expect(timeouts[0]).toBe(400);
    expect(clock.slept.reduce((total, ms) => total + ms, 0)).toBeLessThanOrEqual(400);
  });

  it('does not retry data or other failures', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    const counted = failingAttempt(
      Number.POSITIVE_INFINITY,
      () => new HasuraRequestError('data', 'constraint-violation', 'Uniqueness violation'),
    );

    // Act
    const failure = await retryTransient(counted.attempt, retryOptions(clock)).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toMatchObject({ failureClass: 'data' });
    expect(counted.calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it('stops after the maximum number of attempts', async () => {
    // Prepare
    const clock = fakeClock(0);
    const counted = failingAttempt(Number.POSITIVE_INFINITY, unavailable);

    // Act
    await retryTransient(
      counted.attempt,
      retryOptions(clock, { settings: { ...settings, maxAttempts: 3 } }),
    ).catch(() => undefined);

    // Assess
    expect(counted.calls).toBe(3);
  });

  it('retries an ambiguous database error a bounded number of times with backoff', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    const counted = failingAttempt(Number.POSITIVE_INFINITY, ambiguous);

    // Act
    const failure = await retryTransient(counted.attempt, retryOptions(clock)).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toMatchObject({ failureClass: 'ambiguous', code: 'unexpected' });
    expect(counted.calls).toBe(AMBIGUOUS_MAX_ATTEMPTS);
    expect(counted.calls).toBeLessThan(settings.maxAttempts);
    expect(clock.slept).toEqual([50, 100]);
  });

  it('succeeds when an ambiguous database error passes before the attempts run out', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    const counted = failingAttempt(AMBIGUOUS_MAX_ATTEMPTS - 1, ambiguous);

    // Act
    const result = await retryTransient(counted.attempt, retryOptions(clock));

    // Assess
    expect(result).toBe('written');
    expect(counted.calls).toBe(AMBIGUOUS_MAX_ATTEMPTS);
  });

  it('stops retrying an ambiguous error before the deadline', async () => {
    // Prepare
    const clock = fakeClock(0.99);
    const deadline = clock.now() + 120;
    const counted = failingAttempt(Number.POSITIVE_INFINITY, ambiguous);

    // Act
    const failure = await retryTransient(counted.attempt, retryOptions(clock, { deadline })).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toMatchObject({ failureClass: 'ambiguous' });
    expect(counted.calls).toBe(1);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });
});
