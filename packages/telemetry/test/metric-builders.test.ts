import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metricsOn } from '../src/index.ts';

describe('metricsOn', () => {
  it("registers counters, gauges and histograms on the service's registry only, with their labels and buckets", async () => {
    const registry = new Registry();
    const metric = metricsOn(registry);
    metric.counter('test_decisions_total', 'Decisions', ['decision']).inc({ decision: 'approve' }, 2);
    metric.gauge('test_active', 'Active things').set(3);
    metric.histogram('test_seconds', 'Time', [0.1, 1], ['topic']).observe({ topic: 't' }, 0.5);
    const text = await registry.metrics();
    expect(text).toContain('# HELP test_decisions_total Decisions');
    expect(text).toContain('test_decisions_total{decision="approve"} 2');
    expect(text).toContain('test_active 3');
    expect(text).toContain('test_seconds_bucket{le="0.1",topic="t"} 0');
    expect(text).toContain('test_seconds_bucket{le="1",topic="t"} 1');
    // nothing on the global registry: two services in one process (tests) do not collide
    const other = new Registry();
    metricsOn(other).counter('test_decisions_total', 'Decisions again');
    expect(await other.getSingleMetricAsString('test_decisions_total')).toContain('Decisions again');
  });
});
