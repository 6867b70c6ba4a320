import { env, loadConfig } from '@streamkit/config';
import type { InfrastructureComponent } from './components.ts';

export type EnvironmentSource = Readonly<Record<string, string | undefined>>;

/** The addresses given through the environment (each may be absent). */
export type ConfiguredAddresses = Partial<Record<InfrastructureComponent, string>>;

/** Reads KAFKA_BROKERS / DATABASE_URL / REDIS_URL / MQTT_URL through @streamkit/config. */
export function readConfiguredAddresses(source?: EnvironmentSource): ConfiguredAddresses {
  const spec = {
    kafka: env.list('KAFKA_BROKERS', { optional: true }),
    postgres: env.url('DATABASE_URL', { optional: true, protocols: ['postgres', 'postgresql'] }),
    redis: env.url('REDIS_URL', { optional: true, protocols: ['redis', 'rediss'] }),
    mqtt: env.url('MQTT_URL', { optional: true, protocols: ['mqtt', 'mqtts', 'ws', 'wss'] }),
  };
  const config = source === undefined ? loadConfig(spec) : loadConfig(spec, source);
  const out: ConfiguredAddresses = {};
  if (config.kafka !== undefined && config.kafka.length > 0) out.kafka = config.kafka.join(',');
  if (config.postgres !== undefined) out.postgres = config.postgres;
  if (config.redis !== undefined) out.redis = config.redis;
  if (config.mqtt !== undefined) out.mqtt = config.mqtt;
  return out;
}
