import { metricsOn } from '@streamkit/telemetry';
import type { Counter, Gauge, Registry } from 'prom-client';

export interface FeaturesMetrics {
  applied: Counter;
  duplicates: Counter;
  lateEvents: Counter;
  fenced: Counter;
  watermark: Gauge;
}

export function createFeaturesMetrics(registry: Registry): FeaturesMetrics {
  const metric = metricsOn(registry);
  return {
    applied: metric.counter('recs_features_events_applied_total', 'Events applied to the online store'),
    duplicates: metric.counter(
      'recs_features_duplicate_events_total',
      'Events skipped because their eventId was already applied from another record',
    ),
    lateEvents: metric.counter(
      'recs_features_late_events_total',
      'Events older than watermark minus allowed lateness: logged, left out of popularity windows',
    ),
    fenced: metric.counter(
      'recs_features_fenced_runs_total',
      'Runs recomputed because another member applied records of the partition meanwhile (a rebalance)',
    ),
    watermark: metric.gauge('recs_features_watermark_seconds', 'Event-time watermark (epoch seconds)'),
  };
}
