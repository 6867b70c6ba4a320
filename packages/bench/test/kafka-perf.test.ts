import { describe, expect, it } from 'vitest';
import { parseConsumerPerf, parseEndToEnd, parseProducerPerf } from '../src/kafka-perf.ts';

describe('Kafka perf tool output', () => {
  it('reads the final ProducerPerformance summary, not the periodic lines', () => {
    const out = [
      '12000 records sent, 2400.0 records/sec (0.69 MB/sec), 500.1 ms avg latency, 900.0 ms max latency.',
      '20000 records sent, 4458.314757 records/sec (1.28 MB/sec), 663.38 ms avg latency, 2166.00 ms max latency, 700 ms 50th, 969 ms 95th, 1089 ms 99th, 1133 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerf(out)).toEqual({
      records: 20000,
      recordsPerSec: 4458.314757,
      mbPerSec: 1.28,
      avgLatencyMs: 663.38,
      maxLatencyMs: 2166,
      p50Ms: 700,
      p95Ms: 969,
      p99Ms: 1089,
      p999Ms: 1133,
    });
  });

  it('reads the ConsumerPerformance CSV line by its header', () => {
    const out = [
      'Warning: --messages is deprecated. Use --num-records instead.',
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-11-25 19:57:04:212, 2026-11-25 19:57:10:219, 5.7220, 0.9526, 20000, 3329.4490, 3178, 2829, 2.0226, 7069.6359',
    ].join('\n');
    expect(parseConsumerPerf(out)).toEqual({ records: 20000, recordsPerSec: 3329.449, mbPerSec: 0.9526 });
  });

  it('reads EndToEndLatency percentiles', () => {
    const out =
      '0\t1334.5\n1000\t2.69\nAvg latency: 16.2500 ms\nPercentiles: 50th = 4, 99th = 180, 99.9th = 575\n';
    expect(parseEndToEnd(out)).toEqual({ avgMs: 16.25, p50Ms: 4, p99Ms: 180, p999Ms: 575 });
  });

  it('says what it got when a summary is missing', () => {
    expect(() => parseProducerPerf('Exception in thread "main" boom')).toThrow(/boom/);
    expect(() => parseConsumerPerf('nothing')).toThrow(/ConsumerPerformance/);
    expect(() => parseEndToEnd('nothing')).toThrow(/EndToEndLatency/);
  });
});
