import { InvalidArgumentError } from 'commander';

/**
 * Option parsers for commander. Each throws commander's `InvalidArgumentError`, which the CLI
 * turns into one line naming the option and exit code 2.
 */

/** A whole number ≥ `min` (default 1). */
export const positiveInteger =
  (min = 1) =>
  (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${raw}"`);
    }
    return value;
  };

/** A rate in operations per second: a positive number, fractions allowed (`0.5` = one every 2 s). */
export const rate = (raw: string): number => {
  const value = Number(raw.replace(/\/s$/, ''));
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a positive number per second, got "${raw}"`);
  }
  return value;
};

/** A number of seconds > 0. */
export const seconds = (raw: string): number => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${raw}"`);
  }
  return value;
};

/**
 * A point in time: ISO-8601 (`2026-11-26T10:00:00Z`, `2026-11-26`), epoch milliseconds, or a
 * duration before now (`15m`, `2h`, `7d`).
 */
export const timestamp = (raw: string, now: () => number = Date.now): Date => {
  const relative = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(raw.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's'];
    return new Date(now() - Number(relative[1]) * unit);
  }
  const date = /^\d+$/.test(raw.trim()) ? new Date(Number(raw)) : new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      `expected an ISO-8601 time, epoch milliseconds or a duration like 2h, got "${raw}"`,
    );
  }
  return date;
};

/** A comma-separated list; blanks dropped. */
export const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
