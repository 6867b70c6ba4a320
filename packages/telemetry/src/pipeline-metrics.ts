import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsOn } from './metric-builders.ts';

/**
 * The metrics every pipeline service reports, registered on the service's own Registry.
 * Names carry base units; `service` is a default label of the registry, not repeated here.
 */
export interface PipelineMetrics {
  /** Messages/events taken in (consumed or accepted by an ingress), by topic. */
  readonly eventsIn: Counter<'topic'>;
  /** Messages/events produced, by topic. */
  readonly eventsOut: Counter<'topic'>;
  /** Events that failed, by topic and reason: invalid | handler_error | dlq | rejected. */
  readonly eventsFailed: Counter<'topic' | 'reason'>;
  /** Time the handler spent on one message or batch, by topic. */
  readonly processingSeconds: Histogram<'topic'>;
  /** From the event's own creation time (or the produce timestamp) to its visible effect, by topic. */
  readonly endToEndSeconds: Histogram<'topic'>;
  /** Consumer lag in messages (high watermark − committed offset), by topic and partition. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** Handler attempts that failed because a dependency was unavailable (retried, never dead-lettered), by topic and reason. */
  readonly transientFailures: Counter<'topic' | 'reason'>;
  /** Since when (epoch seconds) a consumer of the topic waits for a dependency to come back; 0 while it does not. */
  readonly waitingOnInfrastructureSince: Gauge<'topic'>;
  /** New idempotent sessions (producer ids) the Kafka producer started, by reason. */
  readonly producerSessionResets: Counter<'reason'>;
}

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createPipelineMetrics(registry: Registry): PipelineMetrics {
  const metric = metricsOn(registry);
  return {
    eventsIn: metric.counter('streamkit_events_in_total', 'Events taken in', ['topic']),
    eventsOut: metric.counter('streamkit_events_out_total', 'Events produced', ['topic']),
    eventsFailed: metric.counter(
      'streamkit_events_failed_total',
      'Events that failed (invalid, handler_error, dlq, rejected)',
      ['topic', 'reason'],
    ),
    processingSeconds: metric.histogram(
      'streamkit_processing_seconds',
      'Handler time per message or batch',
      latencyBuckets,
      ['topic'],
    ),
    endToEndSeconds: metric.histogram(
      'streamkit_end_to_end_latency_seconds',
      'From event creation to its visible effect',
      latencyBuckets,
      ['topic'],
    ),
    consumerLag: metric.gauge('streamkit_consumer_lag_messages', 'High watermark minus committed offset', [
      'topic',
      'partition',
    ]),
    transientFailures: metric.counter(
      'streamkit_consumer_transient_failures_total',
      'Handler attempts that failed on an unavailable dependency (retried until it is back)',
      ['topic', 'reason'],
    ),
    waitingOnInfrastructureSince: metric.gauge(
      'streamkit_consumer_waiting_on_infrastructure_since_seconds',
      'Since when (epoch seconds) the consumer waits for a dependency to come back; 0 when not waiting',
      ['topic'],
    ),
    producerSessionResets: metric.counter(
      'streamkit_kafka_producer_session_resets_total',
      'New idempotent producer sessions (producer ids) started after the broker refused the old one or a request failed',
      ['reason'],
    ),
  };
}
