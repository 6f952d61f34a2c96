import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from '../../../cli/rateLimiter.js';

/** A fake clock whose sleep advances time instantly. */
const fakeClock = () => {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    elapsed: () => now,
  };
};

describe('Class: RateLimiter', () => {
  it('lets a burst through without waiting', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 5, now: clock.now, sleep: clock.sleep });

    // Act
    for (let i = 0; i < 5; i += 1) await limiter.take();

    // Assess
    expect(clock.sleeps).toEqual([]);
  });

  it('paces calls beyond the burst to the rate', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 4, burst: 1, now: clock.now, sleep: clock.sleep });

    // Act
    for (let i = 0; i < 9; i += 1) await limiter.take();

    // Assess: the first is free, the 8 others take 250 ms each.
    expect(clock.elapsed()).toBeCloseTo(2000, 5);
  });

  it('paces batches by their size', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 2, burst: 2, now: clock.now, sleep: clock.sleep });

    // Act
    await limiter.take(2);
    await limiter.take(2);
    await limiter.take(2);

    // Assess
    expect(clock.elapsed()).toBeCloseTo(2000, 5);
  });

  it('supports fractional rates', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 0.5, now: clock.now, sleep: clock.sleep });

    // Act
    await limiter.take();
    await limiter.take();

    // Assess
    expect(clock.elapsed()).toBeCloseTo(2000, 5);
  });

  it('rejects a rate that is not positive', () => {
    // Act & Assess
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(/perSecond must be > 0/);
  });
});
