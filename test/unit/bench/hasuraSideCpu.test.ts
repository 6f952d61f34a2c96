import { describe, expect, it } from '@jest/globals';
import {
  ENGINE_APPLICATION_NAME,
  engineDatabaseUrl,
  processCpuMs,
} from '../../../bench/hasuraSideCpu.js';

describe('Function: processCpuMs', () => {
  it('reads the CPU a process spent from /proc, user and system time together', async () => {
    // Prepare
    const before = await processCpuMs(process.pid);
    const own = process.cpuUsage();
    const until = Date.now() + 150;
    let spin = 0;
    while (Date.now() < until) spin += 1;

    // Act
    const after = await processCpuMs(process.pid);

    // Assess
    const spent = process.cpuUsage(own);
    const ownMs = (spent.user + spent.system) / 1000;
    expect(spin).toBeGreaterThan(0);
    expect(before).toBeDefined();
    // Clock ticks are 10 ms; the process may run other threads meanwhile (GC, workers).
    expect((after ?? 0) - (before ?? 0)).toBeGreaterThanOrEqual(ownMs - 20);
    expect((after ?? 0) - (before ?? 0)).toBeLessThan(ownMs + 1000);
  });

  it('answers undefined for a process that does not exist', async () => {
    // Act
    const cpu = await processCpuMs(2 ** 30);

    // Assess
    expect(cpu).toBeUndefined();
  });
});

describe('Function: engineDatabaseUrl', () => {
  it('names the engine connections and keeps the rest of the URL', () => {
    // Act
    const url = new URL(
      engineDatabaseUrl('postgres://bench:pw@127.0.0.1:5432/test?sslmode=disable'),
    );

    // Assess
    expect(url.searchParams.get('application_name')).toBe(ENGINE_APPLICATION_NAME);
    expect(url.searchParams.get('sslmode')).toBe('disable');
    expect(`${url.username}:${url.password}@${url.host}${url.pathname}`).toBe(
      'bench:pw@127.0.0.1:5432/test',
    );
  });
});
