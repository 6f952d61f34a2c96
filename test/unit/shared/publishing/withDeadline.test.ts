import { describe, expect, it } from '@jest/globals';
import { withDeadline } from '../../../../shared/publishing/withDeadline.js';

const timeoutError = (): Error => new Error('deadline passed');

describe('Function: withDeadline', () => {
  it('resolves with the task result when it finishes before the deadline', async () => {
    // Prepare
    const task = async (): Promise<string> => 'done';

    // Act
    const result = await withDeadline(Date.now() + 1000, task, timeoutError);

    // Assess
    expect(result).toBe('done');
  });

  it('rejects at the deadline and aborts the signal when the task ignores it', async () => {
    // Prepare
    let seen: AbortSignal | undefined;
    const task = (signal: AbortSignal): Promise<never> => {
      seen = signal;
      return new Promise<never>(() => undefined);
    };

    // Act
    const startedAt = Date.now();
    const outcome = await withDeadline(startedAt + 80, task, timeoutError).catch((e: unknown) => e);
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(outcome).toStrictEqual(new Error('deadline passed'));
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toStrictEqual(new Error('deadline passed'));
    expect(elapsedMs).toBeGreaterThanOrEqual(70);
    expect(elapsedMs).toBeLessThan(300);
  });

  it('rejects without starting the task when the deadline has passed', async () => {
    // Prepare
    let started = false;
    const task = async (): Promise<void> => {
      started = true;
    };

    // Act
    const outcome = await withDeadline(Date.now() - 1, task, timeoutError).catch((e: unknown) => e);

    // Assess
    expect(outcome).toStrictEqual(new Error('deadline passed'));
    expect(started).toBe(false);
  });

  it('passes the task error through when the task fails first', async () => {
    // Prepare
    const task = async (): Promise<never> => {
      throw new Error('ECONNREFUSED');
    };

    // Act
    const outcome = await withDeadline(Date.now() + 1000, task, timeoutError).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(outcome).toStrictEqual(new Error('ECONNREFUSED'));
  });
});
