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

describe('Function: retryTransient', () => {
  it('backs off exponentially with full jitter under the maximum delay', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      if (calls < 7) throw unavailable();
      return 'written';
    };

    // Act
    const result = await retryTransient(attempt, {
      settings,
      clock,
      deadline: clock.now() + 60_000,
      requestTimeoutMs: 5000,
    });

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
    const failure = await retryTransient(attempt, {
      settings,
      clock,
      deadline: clock.now() + 400,
      requestTimeoutMs: 5000,
    }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'postgres-error' });
    expect(timeouts[0]).toBe(400);
    expect(clock.slept.reduce((total, ms) => total + ms, 0)).toBeLessThanOrEqual(400);
  });

  it('does not retry data or other failures', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw new HasuraRequestError('data', 'constraint-violation', 'Uniqueness violation');
    };

    // Act
    const failure = await retryTransient(attempt, {
      settings,
      clock,
      deadline: clock.now() + 60_000,
      requestTimeoutMs: 5000,
    }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'data' });
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  it('stops after the maximum number of attempts', async () => {
    // Prepare
    const clock = fakeClock(0);
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw unavailable();
    };

    // Act
    await retryTransient(attempt, {
      settings: { ...settings, maxAttempts: 3 },
      clock,
      deadline: clock.now() + 60_000,
      requestTimeoutMs: 5000,
    }).catch(() => undefined);

    // Assess
    expect(calls).toBe(3);
  });

  it('retries an ambiguous database error a bounded number of times with backoff', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw new HasuraRequestError('ambiguous', 'unexpected', 'database query error');
    };

    // Act
    const failure = await retryTransient(attempt, {
      settings,
      clock,
      deadline: clock.now() + 60_000,
      requestTimeoutMs: 5000,
    }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'ambiguous', code: 'unexpected' });
    expect(calls).toBe(AMBIGUOUS_MAX_ATTEMPTS);
    expect(calls).toBeLessThan(settings.maxAttempts);
    expect(clock.slept).toEqual([50, 100]);
  });

  it('succeeds when an ambiguous database error passes before the attempts run out', async () => {
    // Prepare
    const clock = fakeClock(0.5);
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      if (calls < AMBIGUOUS_MAX_ATTEMPTS) {
        throw new HasuraRequestError('ambiguous', 'unexpected', 'database query error');
      }
      return 'written';
    };

    // Act
    const result = await retryTransient(attempt, {
      settings,
      clock,
      deadline: clock.now() + 60_000,
      requestTimeoutMs: 5000,
    });

    // Assess
    expect(result).toBe('written');
    expect(calls).toBe(AMBIGUOUS_MAX_ATTEMPTS);
  });

  it('stops retrying an ambiguous error before the deadline', async () => {
    // Prepare
    const clock = fakeClock(0.99);
    const deadline = clock.now() + 120;
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      throw new HasuraRequestError('ambiguous', 'unexpected', 'database query error');
    };

    // Act
    const failure = await retryTransient(attempt, {
      settings,
      clock,
      deadline,
      requestTimeoutMs: 5000,
    }).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ failureClass: 'ambiguous' });
    expect(calls).toBe(1);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });
});
