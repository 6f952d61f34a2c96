/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Operations per second; fractions allowed. `Infinity` disables the limit. */
  readonly perSecond: number;
  /**
   * How many operations may run back to back before pacing starts.
   * @default - one second's worth, at least 1
   */
  readonly burst?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));

/**
 * A token bucket: `take(n)` resolves when `n` operations may start without exceeding
 * `perSecond` on average. Used for `--rate` (messages, ListUsers calls).
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 5 });
 * await limiter.take(); // the sixth call in one second waits
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tokens: number;
  #refilledAt: number;

  public constructor(options: RateLimiterOptions) {
    if (!(options.perSecond > 0)) throw new RangeError('perSecond must be > 0');
    this.#perSecond = options.perSecond;
    this.#burst = options.burst ?? Math.max(1, Math.floor(options.perSecond));
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#now();
  }

  /** Resolves once `count` tokens are available, and spends them. */
  public async take(count = 1): Promise<void> {
    if (this.#perSecond === Number.POSITIVE_INFINITY) return;
    for (;;) {
      this.#refill();
      // A request larger than the bucket may proceed when the bucket is full (no deadlock).
      const need = Math.min(count, this.#burst);
      if (this.#tokens >= need) {
        this.#tokens -= count;
        return;
      }
      await this.#sleep(((need - this.#tokens) / this.#perSecond) * 1000);
    }
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#refilledAt) / 1000) * this.#perSecond,
    );
    this.#refilledAt = now;
  }
}
