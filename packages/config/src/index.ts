export { ConfigError, type ConfigProblem, ConfigSpecError } from './config-error.ts';
export { describeConfig, REDACTED } from './describe-config.ts';
export {
  env,
  type ListOptions,
  type NumberOptions,
  type PortOptions,
  type SecretOptions,
  type StringOptions,
  type UrlOptions,
} from './env.ts';
export type { ConfigSpec, EnvField, Presence } from './field.ts';
export {
  eventTimeEnv,
  httpServerEnv,
  kafkaEnv,
  kafkaRedisPostgresEnv,
  mqttEnv,
  pageSessionsEnv,
  postgresEnv,
  redisEnv,
  telemetryEnv,
  topicPrefixEnv,
} from './groups.ts';
export { type Config, type EnvSource, loadConfig } from './load-config.ts';
export { maskUrlCredentials } from './mask.ts';
export { processEnvironment } from './process-environment.ts';
