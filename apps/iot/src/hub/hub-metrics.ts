import { Counter, Gauge, type Registry } from 'prom-client';

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
}

export function createHubMetrics(registry: Registry): HubMetrics {
  const registers = [registry];
  return {
    readings: new Counter({
      name: 'iot_hub_readings_total',
      help: 'Readings received by the hub, by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    mqttInFlight: new Gauge({
      name: 'iot_hub_mqtt_in_flight',
      help: 'MQTT messages received and not yet acknowledged',
      registers,
    }),
    deviceCacheEntries: new Gauge({
      name: 'iot_hub_device_cache_entries',
      help: 'Entries in the device-status cache',
      registers,
    }),
  };
}
