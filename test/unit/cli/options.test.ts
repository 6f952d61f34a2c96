import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';
import { list, positiveInteger, rate, seconds, timestamp } from '../../../cli/options.js';

describe('Function: rate', () => {
  it('reads numbers, fractions and an optional /s suffix', () => {
    // Act & Assess
    expect(rate('50')).toBe(50);
    expect(rate('0.5')).toBe(0.5);
    expect(rate('10/s')).toBe(10);
  });

  it.each(['abc', '', '0', '-3', 'NaN', 'Infinity'])('rejects "%s"', (raw) => {
    // Act & Assess
    expect(() => rate(raw)).toThrow(InvalidArgumentError);
  });
});

describe('Function: positiveInteger', () => {
  it('reads whole numbers at or above the minimum', () => {
    // Act & Assess
    expect(positiveInteger()('7')).toBe(7);
    expect(positiveInteger(0)('0')).toBe(0);
  });

  it.each(['1.5', 'x', '0', ''])('rejects "%s"', (raw) => {
    // Act & Assess
    expect(() => positiveInteger()(raw)).toThrow(/expected a whole number ≥ 1/);
  });
});

describe('Function: seconds', () => {
  it('reads a positive number of seconds', () => {
    // Act & Assess
    expect(seconds('2.5')).toBe(2.5);
    expect(() => seconds('0')).toThrow(InvalidArgumentError);
  });
});

describe('Function: timestamp', () => {
  const now = () => Date.UTC(2026, 10, 26, 12, 0, 0);

  it('reads ISO-8601, epoch milliseconds and durations ago', () => {
    // Act & Assess
    expect(timestamp('2026-11-26T10:00:00Z', now).toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(timestamp('0', now).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(timestamp('2h', now).toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(timestamp('7d', now).toISOString()).toBe('2026-11-19T12:00:00.000Z');
    expect(timestamp('30m', now).toISOString()).toBe('2026-11-26T11:30:00.000Z');
  });

  it('rejects text that is no time', () => {
    // Act & Assess
    expect(() => timestamp('yesterday', now)).toThrow(/expected an ISO-8601 time/);
  });
});

describe('Function: list', () => {
  it('splits on commas and drops blanks', () => {
    // Act & Assess
    expect(list('email, name,,custom:tenant ')).toEqual(['email', 'name', 'custom:tenant']);
  });
});
