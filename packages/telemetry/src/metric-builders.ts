import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Counters, gauges and histograms registered on one service's registry (never the global one). */
export interface MetricBuilders {
  counter<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  histogram<L extends string = string>(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames?: readonly L[],
  ): Histogram<L>;
}

/**
 * The builders a service's metrics module declares its metrics with:
 * `const metric = metricsOn(registry); metric.counter('fraud_detector_decisions_total', 'Decisions emitted', ['decision'])`.
 */
export function metricsOn(registry: Registry): MetricBuilders {
  const registers = [registry];
  return {
    counter: (name, help, labelNames = []) => new Counter({ name, help, labelNames, registers }),
    gauge: (name, help, labelNames = []) => new Gauge({ name, help, labelNames, registers }),
    histogram: (name, help, buckets, labelNames = []) =>
      new Histogram({ name, help, labelNames, buckets: [...buckets], registers }),
  };
}
