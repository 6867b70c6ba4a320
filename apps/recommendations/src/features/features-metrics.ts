import { Counter, Gauge, type Registry } from 'prom-client';

export interface FeaturesMetrics {
  applied: Counter;
  duplicates: Counter;
  lateEvents: Counter;
  fenced: Counter;
  watermark: Gauge;
}

export function createFeaturesMetrics(registry: Registry): FeaturesMetrics {
  return {
    applied: new Counter({
      name: 'recs_features_events_applied_total',
      help: 'Events applied to the online store',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'recs_features_duplicate_events_total',
      help: 'Events skipped because their eventId was already applied from another record',
      registers: [registry],
    }),
    lateEvents: new Counter({
      name: 'recs_features_late_events_total',
      help: 'Events older than watermark minus allowed lateness: logged, left out of popularity windows',
      registers: [registry],
    }),
    fenced: new Counter({
      name: 'recs_features_fenced_runs_total',
      help: 'Runs recomputed because another member applied records of the partition meanwhile (a rebalance)',
      registers: [registry],
    }),
    watermark: new Gauge({
      name: 'recs_features_watermark_seconds',
      help: 'Event-time watermark (epoch seconds)',
      registers: [registry],
    }),
  };
}
