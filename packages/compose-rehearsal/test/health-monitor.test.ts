// Docker Engine's health state machine, driven by scripted probe results and millisecond intervals.
import { describe, expect, it } from 'vitest';
import type { Healthcheck } from '../src/compose/types.ts';
import type { ExecResult } from '../src/container/container.ts';
import { HealthMonitor, type HealthStatus, probeCommand } from '../src/container/health-monitor.ts';

const check = (overrides: Partial<Healthcheck> = {}): Healthcheck => ({
  test: ['CMD', 'probe'],
  intervalMs: 5,
  timeoutMs: 50,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5,
  ...overrides,
});

/** A monitor whose probes answer from `results` in turn (the last one repeats). */
function monitor(healthcheck: Healthcheck, results: Partial<ExecResult>[]) {
  const changes: HealthStatus[] = [];
  let calls = 0;
  const m = new HealthMonitor(
    healthcheck,
    async () => {
      const r = results[Math.min(calls++, results.length - 1)];
      return { exitCode: 0, output: '', timedOut: false, ...r };
    },
    Date.now(),
    (status) => changes.push(status),
  );
  void m.run();
  return { m, changes, calls: () => calls };
}

describe('HealthMonitor', () => {
  it('turns healthy on the first passing probe, failures inside the start period not counting', async () => {
    const { m, changes } = monitor(check({ startPeriodMs: 10_000, retries: 1 }), [
      { exitCode: 1 },
      { exitCode: 1 },
      { exitCode: 1 },
      { exitCode: 0 },
    ]);
    await expect.poll(() => changes).toEqual(['healthy']);
    m.stop();
    expect(m.probes.filter((p) => p.ignored)).toHaveLength(3);
  });

  it('turns unhealthy after `retries` consecutive failures once the start period is over', async () => {
    const { m, changes, calls } = monitor(check({ retries: 3 }), [{ exitCode: 1 }]);
    await expect.poll(() => changes).toEqual(['unhealthy']);
    m.stop();
    expect(calls()).toBeGreaterThanOrEqual(3);
    expect(m.probes.slice(0, 3).every((p) => !p.ignored)).toBe(true);
  });

  it('counts a timed-out probe as a failure, and a pass resets the streak', async () => {
    const { m, changes } = monitor(check({ retries: 2 }), [
      { exitCode: null, timedOut: true },
      { exitCode: 0 },
      { exitCode: 1 },
      { exitCode: 0 },
      { exitCode: null, timedOut: true },
      { exitCode: 1 },
    ]);
    await expect.poll(() => changes).toEqual(['healthy', 'unhealthy']);
    m.stop();
    expect(m.lastFailure()?.exitCode).toBe(1);
  });

  it('runs CMD as an argument vector and CMD-SHELL through /bin/sh -c', () => {
    expect(probeCommand(['CMD', 'node', '-e', 'x'])).toEqual(['node', '-e', 'x']);
    expect(probeCommand(['CMD-SHELL', 'redis-cli ping | grep -q PONG'])).toEqual([
      '/bin/sh',
      '-c',
      'redis-cli ping | grep -q PONG',
    ]);
    expect(probeCommand(['NONE'])).toBeUndefined();
  });
});
