import { metricsOn } from '@streamkit/telemetry';
import { type Counter, Gauge, type Registry } from 'prom-client';

/** The alert service's own metrics, beside the standard pipeline ones. */
export interface AlertServiceMetrics {
  readonly webhookDeliveries: Counter<'result'>;
}

export function createAlertServiceMetrics(
  registry: Registry,
  sources: { subscriberCount: () => number },
): AlertServiceMetrics {
  new Gauge({
    name: 'fraud_alerts_stream_subscribers',
    help: 'Open Server-Sent Events streams of /alerts/stream',
    registers: [registry],
    collect() {
      this.set(sources.subscriberCount());
    },
  });
  return {
    webhookDeliveries: metricsOn(registry).counter(
      'fraud_alert_webhook_attempts_total',
      'Webhook delivery attempts by result: delivered, retry (will be retried), failed (gave up)',
      ['result'],
    ),
  };
}
