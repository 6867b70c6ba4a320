/** The infrastructure endpoints a run may use, read through @streamkit/config (the only reader of the environment). */
import { type EnvSource, kafkaEnv, loadConfig, mqttEnv, postgresEnv, redisEnv } from '@streamkit/config';
import type { LoadgenEnvironment } from './scenario.ts';

export const loadgenEnvironmentSpec = Object.freeze({ ...kafkaEnv, ...postgresEnv, ...redisEnv, ...mqttEnv });

/** Throws ConfigError listing every malformed variable (KAFKA_BROKERS, DATABASE_URL, ...). */
export function loadLoadgenEnvironment(source?: EnvSource): LoadgenEnvironment {
  return loadConfig(loadgenEnvironmentSpec, source);
}
