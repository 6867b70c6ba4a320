import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../src/histogram.ts';

const ms = 1e6;

describe('latency histogram', () => {
  it('reports percentiles of known data within 0.1 %', () => {
    const h = createLatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.recordNs(v * ms); // 1 ms … 10 s, uniform
    const p = h.percentiles();
    expect(p.count).toBe(10_000);
    expect(p.min).toBeCloseTo(1, 2);
    expect(p.p50).toBeGreaterThanOrEqual(5000);
    expect(p.p50).toBeLessThanOrEqual(5000 * 1.001);
    expect(p.p90 / 9000).toBeCloseTo(1, 2);
    expect(p.p95 / 9500).toBeCloseTo(1, 2);
    expect(p.p99 / 9900).toBeCloseTo(1, 2);
    expect(p.p999 / 9990).toBeCloseTo(1, 2);
    expect(p.max / 10_000).toBeCloseTo(1, 2);
    expect(p.mean / 5000.5).toBeCloseTo(1, 2);
  });

  it('separates a slow tail from the body', () => {
    const h = createLatencyHistogram();
    for (let i = 0; i < 990; i++) h.recordNs(2 * ms);
    for (let i = 0; i < 10; i++) h.recordNs(500 * ms);
    expect(h.valueAtPercentileMs(50)).toBeCloseTo(2, 2);
    expect(h.valueAtPercentileMs(99)).toBeCloseTo(2, 2);
    expect(h.valueAtPercentileMs(99.9)).toBeCloseTo(500, 0);
  });

  it('merges the values of another histogram', () => {
    const a = createLatencyHistogram();
    const b = createLatencyHistogram();
    for (let i = 0; i < 100; i++) a.recordNs(1 * ms);
    for (let i = 0; i < 100; i++) b.recordNs(3 * ms);
    b.recordNs(70e9); // past the 60 s range
    a.merge(b);
    expect(a.count).toBe(201);
    expect(a.saturatedCount).toBe(1);
    expect(a.valueAtPercentileMs(25)).toBeCloseTo(1, 2);
    expect(a.valueAtPercentileMs(75)).toBeCloseTo(3, 2);
    expect(b.count).toBe(101); // the source is left as it was
  });

  it('clamps values outside 0 … 60 s instead of throwing', () => {
    const h = createLatencyHistogram();
    h.recordNs(-5 * ms);
    h.recordNs(120e9);
    expect(h.count).toBe(2);
    expect(h.saturatedCount).toBe(1);
    expect(h.percentiles().min).toBe(0);
    expect(h.percentiles().max / 60_000).toBeCloseTo(1, 2);
  });

  it('reports zeros and an empty curve when nothing was recorded', () => {
    const h = createLatencyHistogram();
    expect(h.percentiles()).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
    expect(h.distribution()).toEqual([]);
  });

  it('describes the curve by percentile, ascending, up to the resolution of the data, ending at max', () => {
    const h = createLatencyHistogram();
    for (let v = 1; v <= 1000; v++) h.recordNs(v * 1000); // 1 µs … 1 ms
    const curve = h.distribution(5);
    const percentiles = curve.map((p) => p.percentile);
    expect(percentiles[0]).toBe(0);
    expect(percentiles.at(-1)).toBe(100);
    expect([...percentiles].sort((x, y) => x - y)).toEqual(percentiles);
    expect([...curve.map((p) => p.latencyMs)].sort((x, y) => x - y)).toEqual(curve.map((p) => p.latencyMs));
    // 1000 values resolve up to 1 - 1/1000 = 99.9 %; 5 points per halving → about 50 points
    expect(percentiles.at(-2)).toBeLessThanOrEqual(99.9);
    expect(percentiles.at(-2)).toBeGreaterThan(99.8);
    expect(curve.at(-1)?.latencyMs).toBeCloseTo(1, 2);
  });
});
