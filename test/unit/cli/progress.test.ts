import { describe, expect, it } from '@jest/globals';
import { Progress } from '../../../cli/progress.js';

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 200,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    chunks,
  };
};

describe('Class: Progress', () => {
  it('redraws one line in place on a TTY and ends it on finish', () => {
    // Prepare
    let now = 0;
    const out = stream(true);
    const progress = new Progress(out, { label: 'moved', total: 10, now: () => now });

    // Act
    now = 1000;
    progress.tick(5);
    now = 2000;
    progress.tick(5);
    progress.finish();

    // Assess
    expect(out.chunks.slice(0, 2).every((chunk) => chunk.startsWith('\r'))).toBe(true);
    expect(out.chunks.at(-2)).toContain('10/10 moved');
    expect(out.chunks.at(-2)).toContain('100%');
    expect(out.chunks.at(-1)).toBe('\n');
  });

  it('writes whole lines at most every interval when not a TTY', () => {
    // Prepare
    let now = 0;
    const out = stream(false);
    const progress = new Progress(out, { label: 'users', lineIntervalMs: 5000, now: () => now });

    // Act
    for (let i = 1; i <= 10; i += 1) {
      now = i * 1000;
      progress.tick(60);
    }
    progress.finish('page 10');

    // Assess: ticks at 1 s and 6 s, plus the final line.
    expect(out.chunks).toHaveLength(3);
    expect(out.chunks.every((chunk) => chunk.endsWith('\n') && !chunk.includes('\r'))).toBe(true);
    expect(out.chunks.at(-1)).toMatch(/^600 users {2}60\/s {2}10s {2}page 10\n$/);
  });

  it('draws nothing when silent', () => {
    // Prepare
    const out = stream(true);
    const progress = new Progress(out, { label: 'x', silent: true });

    // Act
    progress.tick(3);
    progress.finish();

    // Assess
    expect(out.chunks).toEqual([]);
    expect(progress.done).toBe(3);
  });
});
