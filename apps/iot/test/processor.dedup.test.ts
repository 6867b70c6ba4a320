import type { SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { applyRecords, type DeviceState, type StepRecord } from '../src/processor/batch-step.ts';
import { decodeRecentReadings, encodeRecentReadings } from '../src/processor/recent-readings.ts';
import { BASE_MS, reading, stepTestSettings as settings } from './processor.harness.ts';

const now = new Date('2026-03-01T12:00:00Z');

const asRecords = (readings: readonly SensorReading[]): StepRecord[] =>
  readings.map((r, i) => ({ reading: r, partition: 0, offset: String(i) }));

/** Three devices, a reading each 700 ms, every 11th one 50 s late. */
function readings(count: number): SensorReading[] {
  return Array.from({ length: count }, (_, i) =>
    reading(`d${i % 3}`, Math.floor(i / 3), BASE_MS + i * 700 - (i % 11 === 0 ? 50_000 : 0), 20 + (i % 13)),
  );
}

describe('processor deduplication (device, seq, event time)', () => {
  it('skips second copies — as a hub redelivery produces them, later in the topic — and nothing else', () => {
    const unique = readings(300);
    // after the 120th reading the hub "reconnects" and the broker resends the 40 before it
    const withCopies = [...unique.slice(0, 120), ...unique.slice(80, 120), ...unique.slice(120)];
    const reference = applyRecords(asRecords(unique), new Map(), settings, now);

    const states = new Map<string, DeviceState>();
    const cuts = [0, 100, 130, 161, 340];
    const parts = cuts
      .slice(1)
      .map((end, i) => applyRecords(asRecords(withCopies).slice(cuts[i], end), states, settings, now));

    expect(parts.reduce((n, p) => n + p.duplicates, 0)).toBe(40);
    const strip = (rows: typeof reference.raw) =>
      rows.map(({ reading, tsMs, late }) => ({ reading, tsMs, late }));
    expect(strip(parts.flatMap((p) => p.raw))).toEqual(strip(reference.raw));
    expect(parts.flatMap((p) => p.alerts)).toEqual(reference.alerts);
    const byKey = (ws: { deviceId: string; windowStart: number }[]) =>
      [...ws].sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.windowStart - b.windowStart);
    expect(byKey(parts.flatMap((p) => p.closedWindows))).toEqual(byKey(reference.closedWindows));
    expect(parts.reduce((n, p) => n + p.lateDropped, 0)).toBe(reference.lateDropped);
  });

  it('keeps a reading that reuses a seq at another time (a device that restarted its counter)', () => {
    const first = reading('d0', 5, BASE_MS, 20);
    const afterRestart = reading('d0', 5, BASE_MS + 30_000, 21);
    const result = applyRecords(asRecords([first, afterRestart, afterRestart]), new Map(), settings, now);
    expect(result.raw.map((r) => r.reading)).toEqual([first, afterRestart]);
    expect(result.duplicates).toBe(1);
  });

  it('forgets readings beyond the horizon behind the device: a copy that old is applied again', () => {
    const old = reading('d0', 1, BASE_MS, 20);
    const states = new Map<string, DeviceState>();
    applyRecords(asRecords([old, reading('d0', 2, BASE_MS + 599_000, 20)]), states, settings, now);
    expect(applyRecords(asRecords([old]), states, settings, now).duplicates).toBe(1);
    applyRecords(asRecords([reading('d0', 3, BASE_MS + 600_001, 20)]), states, settings, now);
    expect([...(states.get('d0') as DeviceState).recent.keys()]).toEqual([2, 3]);
    const again = applyRecords(asRecords([old]), states, settings, now);
    expect(again.duplicates).toBe(0);
    expect(again.raw).toHaveLength(1);
  });

  it('packs the recent readings as varints and reads back the same map', () => {
    const recent = new Map([
      [Number.MAX_SAFE_INTEGER, BASE_MS],
      [0, BASE_MS + 5],
      [7, BASE_MS - 86_400_000],
      [8, 0],
    ]);
    const bytes = encodeRecentReadings(recent);
    const decoded = decodeRecentReadings(bytes);
    expect(new Map([...decoded].sort((a, b) => a[0] - b[0]))).toEqual(
      new Map([...recent].sort((a, b) => a[0] - b[0])),
    );
    expect(decodeRecentReadings(encodeRecentReadings(new Map()))).toEqual(new Map());
    expect(() => decodeRecentReadings(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    // a device's climbing counter and clock: a few bytes a reading
    const climbing = new Map(Array.from({ length: 600 }, (_, i) => [1000 + i, BASE_MS + i * 1000] as const));
    expect(encodeRecentReadings(climbing).length).toBeLessThan(600 * 4);
  });
});
