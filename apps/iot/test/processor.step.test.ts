import type { SensorReading } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { applyRecords, type DeviceState, type StepRecord } from '../src/processor/batch-step.ts';
import { createMicroBatcher } from '../src/processor/trigger.ts';
import { decodeOpenWindows, encodeOpenWindows } from '../src/processor/window-codec.ts';
import { aggregateMetric } from '../src/processor/windows.ts';
import { BASE_MS, reading, stepTestSettings as settings } from './processor.harness.ts';

const now = new Date('2026-03-01T12:00:00Z');

function records(): StepRecord[] {
  const out: SensorReading[] = [];
  for (let i = 0; i < 300; i++)
    out.push(
      reading(`d${i % 3}`, Math.floor(i / 3), BASE_MS + i * 700 - (i % 11 === 0 ? 50_000 : 0), 20 + (i % 13)),
    );
  return out.map((r, i) => ({ reading: r, partition: 0, offset: String(i) }));
}

describe('processor step', () => {
  it('gives the same raw flags, windows and alerts however the records are cut into batches', () => {
    const all = records();
    const whole = applyRecords(all, new Map(), settings, now);
    const states = new Map<string, DeviceState>();
    const pieces = [0, 7, 50, 51, 160, 300]
      .slice(1)
      .map((end, i, ends) => all.slice(i === 0 ? 0 : ends[i - 1], end));
    const parts = pieces.map((piece) => applyRecords(piece, states, settings, now));
    expect(parts.flatMap((p) => p.raw)).toEqual(whole.raw);
    const byKey = (ws: { deviceId: string; windowStart: number }[]) =>
      [...ws].sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.windowStart - b.windowStart);
    expect(byKey(parts.flatMap((p) => p.closedWindows))).toEqual(byKey(whole.closedWindows));
    expect(parts.flatMap((p) => p.alerts)).toEqual(whole.alerts);
    expect(whole.lateDropped).toBeGreaterThan(0);
    expect(whole.closedWindows.length).toBeGreaterThan(3);
  });

  it('aggregates with nearest-rank p95 and an order-independent mean', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i * 7919) % 101);
    const a = aggregateMetric(values);
    expect(a).toEqual(aggregateMetric([...values].reverse()));
    expect(a.p95).toBe([...values].sort((x, y) => x - y)[18]);
    expect(() => aggregateMetric([])).toThrow(RangeError);
  });
});

describe('micro-batch trigger', () => {
  it('starts at most one batch per interval, sooner when enough records wait; rejects nonsense settings', async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher<number>({ intervalMs: 60_000, maxRecords: 5 }, async (items) => {
      batches.push(items);
    });
    // the first batch starts at once (no batch ran in the last interval)
    await batcher.submit([1, 2, 3, 4, 5, 6]);
    // the next waits for the interval, or for maxRecords (runs under half the last batch: no backlog)
    const waiting = [batcher.submit([7]), batcher.submit([8])];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6]]);
    await batcher.submit([9, 10, 11]);
    await Promise.all(waiting);
    expect(batches).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11],
    ]);
    // close() applies what waits without waiting for the interval
    const last = batcher.submit([8]);
    batcher.close();
    await last;
    expect(batches.at(-1)).toEqual([8]);
    await expect(batcher.submit([9])).rejects.toThrow(/closed/);
    expect(() => createMicroBatcher({ intervalMs: 0, maxRecords: 0 }, async () => undefined)).toThrow(
      /intervalMs.*maxRecords/,
    );
  });

  it('under backlog starts the next batch at once, without waiting for the interval', async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher<number>({ intervalMs: 60_000, maxRecords: 1000 }, async (items) => {
      batches.push(items);
    });
    await batcher.submit([1, 2, 3, 4]);
    // one run back (as many as the last batch had), holding at least half its records: at once
    await batcher.submit([5, 6, 7]);
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7],
    ]);
    // fewer than half: waits for the interval
    const small = batcher.submit([8]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(2);
    batcher.close();
    await small;
    expect(batches.at(-1)).toEqual([8]);
  });

  it('starts at once while a partition is behind, and for the remainders of the partitions that were', async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher<number>({ intervalMs: 60_000, maxRecords: 1000 }, async (items) => {
      batches.push(items);
    });
    await batcher.submit([1, 2, 3, 4], 0, true);
    // small runs (under half the last batch), but partition 1 holds more in Kafka: at once, and
    // the run of partition 2 handed over in the same tick joins the batch
    await Promise.all([batcher.submit([5], 1, true), batcher.submit([6], 2, false)]);
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    // partition 1's remainder (caught up): the only partition behind last time is back, at once
    await batcher.submit([7], 1, false);
    expect(batches.at(-1)).toEqual([7]);
    // nobody behind, a small run: the interval holds (live rates)
    const small = batcher.submit([8], 2, false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(3);
    batcher.close();
    await small;
    expect(batches.at(-1)).toEqual([8]);
  });

  it('packs open windows as float64s and reads back the same values', () => {
    const all = records();
    const states = new Map<string, DeviceState>();
    applyRecords(all.slice(0, 200), states, settings, now);
    const windows = (states.get('d1') as DeviceState).windows;
    expect(windows.size).toBeGreaterThan(0);
    const bytes = encodeOpenWindows(windows);
    // a copy at an odd offset, as a pg Buffer may be
    const odd = Buffer.alloc(bytes.length + 1);
    bytes.copy(odd, 1);
    expect(decodeOpenWindows(odd.subarray(1))).toEqual(windows);
    expect(decodeOpenWindows(encodeOpenWindows(new Map()))).toEqual(new Map());
    expect(() => decodeOpenWindows(bytes.subarray(0, bytes.length - 8))).toThrow(RangeError);
  });

  it('fails every run of a batch that failed, so the consumer retries them', async () => {
    const batcher = createMicroBatcher<number>({ intervalMs: 20, maxRecords: 100 }, async () => {
      throw new Error('disk full');
    });
    await expect(batcher.submit([1])).rejects.toThrow('disk full');
    batcher.close();
  });
});
