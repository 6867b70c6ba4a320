import { type EnvSource, env, kafkaEnv, loadConfig, mqttEnv, postgresEnv, redisEnv } from '@streamkit/config';

const demoSpec = {
  ...kafkaEnv,
  ...postgresEnv,
  ...redisEnv,
  ...mqttEnv,
  /** Where the built-in hello pipeline's echo service listens. */
  helloPort: env.port('STREAMKIT_DEMO_HELLO_PORT', { default: 3400 }),
  helloHost: env.string('STREAMKIT_DEMO_HELLO_HOST', { default: '127.0.0.1' }),
  /** Default per-service readiness deadline (a service may set its own). */
  readyTimeoutMs: env.int('STREAMKIT_DEMO_READY_TIMEOUT_MS', { default: 60_000, min: 100, max: 3_600_000 }),
  /** How long each service gets between SIGTERM and SIGKILL. */
  stopTimeoutMs: env.int('STREAMKIT_DEMO_STOP_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }),
};

export type DemoConfig = ReturnType<typeof loadDemoConfig>;

/** The runner's settings; the infrastructure addresses are the defaults for pipelines that need nothing. */
export function loadDemoConfig(source?: EnvSource) {
  return loadConfig(demoSpec, source);
}
