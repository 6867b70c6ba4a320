import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { createOpenLoopDriver, intendedSendTimeNs, type OpenLoopHooks } from '../src/rate.ts';

const ms = 1e6;

interface Issued {
  readonly operation: number;
  readonly intendedAtNs: number;
  readonly lagNs: number;
}

/** Hooks whose operations never finish unless `finish` is called: the worst slow system. */
function recordingHooks() {
  const issued: Issued[] = [];
  const dropped: number[] = [];
  let outstanding = 0;
  const hooks: OpenLoopHooks = {
    inFlight: () => outstanding,
    issue(operation, intendedAtNs, lagNs) {
      outstanding++;
      issued.push({ operation, intendedAtNs, lagNs });
    },
    drop: (operation) => dropped.push(operation),
  };
  return { hooks, issued, dropped, finish: (n: number) => (outstanding -= n) };
}

describe('open-loop schedule', () => {
  it('puts operation i at start + i / rate', () => {
    expect(intendedSendTimeNs(5 * ms, 1000, 0)).toBe(5 * ms);
    expect(intendedSendTimeNs(5 * ms, 1000, 7)).toBe(12 * ms);
    expect(intendedSendTimeNs(0, 3, 3)).toBe(1e9);
  });

  it('issues every operation due at a tick, several per tick at high rates', () => {
    const { hooks, issued } = recordingHooks();
    const driver = createOpenLoopDriver(
      { rate: 5000, totalOperations: 5000, startNs: 0, maxInFlight: 1e6 },
      hooks,
    );
    const perTick: number[] = [];
    for (let t = 0; t <= 1000 && !driver.finished; t++) perTick.push(driver.tick(t * ms));

    expect(issued).toHaveLength(5000);
    expect(driver.finished).toBe(true);
    expect(perTick.slice(1, 10)).toEqual(Array(9).fill(5)); // 5 per 1 ms tick at 5000/s
    expect(issued.map((o) => o.operation)).toEqual([...Array(5000).keys()]);
    // a 1 ms tick never lets an operation go out a full tick late
    expect(Math.max(...issued.map((o) => o.lagNs))).toBeLessThan(1 * ms);
  });

  it('keeps sending on schedule while earlier operations are still outstanding', () => {
    const { hooks, issued } = recordingHooks();
    const driver = createOpenLoopDriver(
      { rate: 1000, totalOperations: 100, startNs: 0, maxInFlight: 1000 },
      hooks,
    );
    // none of them ever completes, yet each goes out at its intended time
    for (let t = 0; t < 100; t++) driver.tick(t * ms);
    expect(issued).toHaveLength(100);
    for (const o of issued) expect(o.intendedAtNs).toBe(o.operation * ms);
    expect(issued.every((o) => o.lagNs === 0)).toBe(true);
  });

  it('issues a backlog at once after a stall and reports how late each went out', () => {
    const { hooks, issued } = recordingHooks();
    const driver = createOpenLoopDriver(
      { rate: 1000, totalOperations: 100, startNs: 0, maxInFlight: 1000 },
      hooks,
    );
    driver.tick(0);
    expect(driver.tick(50 * ms)).toBe(50); // the event loop was blocked for 50 ms
    expect(issued.at(-1)).toEqual({ operation: 50, intendedAtNs: 50 * ms, lagNs: 0 });
    expect(issued[1]).toEqual({ operation: 1, intendedAtNs: 1 * ms, lagNs: 49 * ms });
  });

  it('counts operations due while the in-flight cap is reached as dropped, without slowing down', () => {
    const { hooks, issued, dropped, finish } = recordingHooks();
    const driver = createOpenLoopDriver(
      { rate: 1000, totalOperations: 20, startNs: 0, maxInFlight: 3 },
      hooks,
    );
    for (let t = 0; t < 10; t++) driver.tick(t * ms);
    expect(issued.map((o) => o.operation)).toEqual([0, 1, 2]);
    expect(dropped).toEqual([3, 4, 5, 6, 7, 8, 9]);

    finish(2); // two complete: room for two more, then the cap bites again
    for (let t = 10; t < 20; t++) driver.tick(t * ms);
    expect(issued.map((o) => o.operation)).toEqual([0, 1, 2, 10, 11]);
    expect(dropped).toHaveLength(15);
    expect(driver.finished).toBe(true);
  });

  it('stops early on request', () => {
    const { hooks, issued } = recordingHooks();
    const driver = createOpenLoopDriver(
      { rate: 1000, totalOperations: 100, startNs: 0, maxInFlight: 1000 },
      hooks,
    );
    driver.tick(9 * ms);
    driver.stop();
    expect(driver.finished).toBe(true);
    expect(driver.tick(99 * ms)).toBe(0);
    expect(issued).toHaveLength(10);
  });

  it.each([
    [{ rate: 0 }, /rate must be a positive number/],
    [{ rate: Number.NaN }, /rate must be a positive number/],
    [{ maxInFlight: 0 }, /maxInFlight must be an integer >= 1/],
    [{ totalOperations: 1.5 }, /totalOperations must be a non-negative integer/],
  ])('rejects nonsense settings %o', (override, message) => {
    const settings = { rate: 10, totalOperations: 10, startNs: 0, maxInFlight: 10, ...override };
    expect(() => createOpenLoopDriver(settings, recordingHooks().hooks)).toThrow(UsageError);
    expect(() => createOpenLoopDriver(settings, recordingHooks().hooks)).toThrow(message);
  });
});
