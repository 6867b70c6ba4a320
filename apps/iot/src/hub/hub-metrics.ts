import { metricsOn } from '@streamkit/telemetry';
import type { Counter, Gauge, Registry } from 'prom-client';

export type IngestChannel = 'mqtt' | 'http';
export type IngestOutcomeKind =
  | 'accepted'
  | 'invalid'
  | 'unknown_device'
  | 'disabled_device'
  | 'wrong_device';

/** The hub's own metrics, beside the standard PipelineMetrics. */
export interface HubMetrics {
  /** Readings by channel and outcome: accepted, or why they were rejected. */
  readonly readings: Counter<'channel' | 'outcome'>;
  /** MQTT messages received and not yet acknowledged (waiting for Kafka). */
  readonly mqttInFlight: Gauge;
  /** Entries in the device-status cache. */
  readonly deviceCacheEntries: Gauge;
  /** Device statuses answered from an expired entry because the registry could not be read. */
  readonly staleDeviceStatuses: Counter;
}

export function createHubMetrics(registry: Registry): HubMetrics {
  const metric = metricsOn(registry);
  return {
    readings: metric.counter(
      'iot_hub_readings_total',
      'Readings received by the hub, by channel and outcome',
      ['channel', 'outcome'],
    ),
    mqttInFlight: metric.gauge('iot_hub_mqtt_in_flight', 'MQTT messages received and not yet acknowledged'),
    deviceCacheEntries: metric.gauge('iot_hub_device_cache_entries', 'Entries in the device-status cache'),
    staleDeviceStatuses: metric.counter(
      'iot_hub_device_status_stale_total',
      'Device statuses answered from an expired cache entry because the registry (PostgreSQL) could not be read',
    ),
  };
}
