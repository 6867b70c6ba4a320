import { env, postgresEnv } from '@streamkit/config';

export const generatorConfigSpec = Object.freeze({
  ...postgresEnv,
  gatewayUrl: env.url('GATEWAY_URL', { default: 'http://127.0.0.1:8080', protocols: ['http', 'https'] }),
  /** required in live mode only (checked there) */
  gatewayApiKey: env.secret('GATEWAY_API_KEY', { optional: true }),
  metricsPort: env.port('METRICS_PORT', { default: 9102, allowZero: true }),
});
