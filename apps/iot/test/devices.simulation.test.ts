import { sensorReadingValidator } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { deliveryOrder } from '../src/devices/delivery.ts';
import { createFleet } from '../src/devices/fleet.ts';

const startMs = Date.UTC(2026, 0, 1);

describe('device simulator', () => {
  it('is deterministic by seed, and a different seed gives a different fleet', () => {
    const a = createFleet({ seed: 7, deviceCount: 50, startMs });
    const b = createFleet({ seed: 7, deviceCount: 50, startMs });
    const c = createFleet({ seed: 8, deviceCount: 50, startMs });
    const ticks = (f: typeof a) => [0, 1, 500, 5000].flatMap((t) => f.readingsAt(t));
    expect(ticks(a)).toEqual(ticks(b));
    expect(a.faultsBetween(0, 5000)).toEqual(b.faultsBetween(0, 5000));
    expect(ticks(c)).not.toEqual(ticks(a));
    // random access gives the same reading as a sweep
    expect(a.readingOf(3, 500)).toEqual(a.readingsAt(500).find((r) => r.reading.deviceId === 'dev-000003'));
  });

  it('produces schema-valid readings with realistic daily cycles and noise', () => {
    const fleet = createFleet({ seed: 1, deviceCount: 20, startMs, faultRate: 0 });
    const day = Array.from({ length: 8640 }, (_, t) => fleet.readingOf(0, t)?.reading);
    for (const r of day) expect(sensorReadingValidator.is(r)).toBe(true);
    const temps = day.map((r) => r?.metrics.temperature ?? Number.NaN);
    const range = Math.max(...temps) - Math.min(...temps);
    expect(range).toBeGreaterThan(2); // a daily cycle of a few degrees
    expect(range).toBeLessThan(20);
    const steps = temps.slice(1).map((t, i) => Math.abs(t - (temps[i] ?? t)));
    expect(Math.max(...steps)).toBeLessThan(1.5); // noise, not jumps
    expect(new Set(temps.slice(0, 50)).size).toBeGreaterThan(30); // not constant
    const battery = day.map((r) => r?.metrics.battery ?? 0);
    expect(battery.at(-1)).toBeLessThan(battery[0] ?? 0); // drains
  });

  it('labels injected faults, and the readings show them', () => {
    const fleet = createFleet({ seed: 3, deviceCount: 200, startMs, faultRate: 0.05, ticksPerSlot: 360 });
    const faults = fleet.faultsBetween(0, 360 * 6);
    const kinds = new Set(faults.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['battery_drain', 'offline', 'spike', 'stuck']);
    expect(faults.length).toBeGreaterThan(200 * 6 * 0.05 * 0.6);

    const indexOf = (deviceId: string) => Number(deviceId.slice('dev-'.length));
    for (const f of faults) {
      const i = indexOf(f.deviceId);
      const inside = fleet.readingOf(i, f.fromTick);
      switch (f.kind) {
        case 'offline':
          expect(inside).toBeUndefined();
          expect(fleet.readingOf(i, f.toTick - 1)).toBeUndefined();
          break;
        case 'spike': {
          const metric = f.metric ?? 'temperature';
          expect(inside?.reading.metrics[metric]).toBe(f.value);
          expect(inside?.fault).toEqual(f);
          const before = fleet.readingOf(i, f.fromTick - 1)?.reading.metrics[metric];
          // far outside the noise: 10 units, or 5× the level for small-valued vibration
          if (before !== undefined)
            expect(Math.abs((f.value ?? 0) - before)).toBeGreaterThan(Math.min(10, 5 * before));
          break;
        }
        case 'stuck': {
          const metric = f.metric ?? 'temperature';
          const values = new Set(
            Array.from(
              { length: f.toTick - f.fromTick },
              (_, k) => fleet.readingOf(i, f.fromTick + k)?.reading.metrics[metric],
            ),
          );
          expect(values.size).toBe(1);
          expect(inside?.fault?.kind).toBe('stuck');
          break;
        }
        case 'battery_drain':
          expect(fleet.readingOf(i, f.fromTick + 10)?.reading.metrics.battery ?? 100).toBeLessThan(
            (fleet.readingOf(i, f.fromTick)?.reading.metrics.battery ?? 0) - 10,
          );
          break;
      }
    }
    // the hub accepts every faulty reading: a fault is the detector's to find, not a schema error
    for (const f of faults)
      for (let tick = f.fromTick; tick < f.toTick; tick++) {
        const faulty = fleet.readingOf(indexOf(f.deviceId), tick)?.reading;
        if (faulty !== undefined) expect(sensorReadingValidator.validate(faulty)).toMatchObject({ ok: true });
      }
    // readings outside every fault carry no label
    const healthy = fleet.readingsAt(5).filter((r) => r.fault === undefined);
    expect(healthy.length).toBeGreaterThan(150);
  });

  it('delivers out of order and partly late, yet every reading exactly once', () => {
    const fleet = createFleet({ seed: 5, deviceCount: 100, startMs, faultRate: 0 });
    const delivered = [
      ...deliveryOrder(fleet, 0, 60, { lateFraction: 0.05, maxLatenessMs: 120_000 }),
    ].flatMap((g) => g.deliveries);
    expect(delivered).toHaveLength(100 * 60);
    expect(new Set(delivered.map((d) => `${d.reading.deviceId}#${d.reading.seq}`)).size).toBe(100 * 60);
    const late = delivered.filter((d) => d.late);
    expect(late.length / delivered.length).toBeGreaterThan(0.03);
    expect(late.length / delivered.length).toBeLessThan(0.07);
    // delivery times never go backwards; event times do
    const times = delivered.map((d) => d.deliverAtMs);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0))).toBe(true);
    const events = delivered.map((d) => Date.parse(d.reading.ts));
    expect(events.some((t, i) => i > 0 && t < (events[i - 1] ?? 0))).toBe(true);
    // the same again: deterministic
    const again = [...deliveryOrder(fleet, 0, 60, { lateFraction: 0.05, maxLatenessMs: 120_000 })].flatMap(
      (g) => g.deliveries,
    );
    expect(again).toEqual(delivered);
  });

  it('rejects nonsense settings naming every problem', () => {
    expect(() => createFleet({ startMs, deviceCount: 0, faultRate: 2, intervalMs: 0 })).toThrow(
      /deviceCount.*intervalMs.*faultRate/,
    );
  });
});
