import { env, httpServerEnv } from '@streamkit/config';
import { fraudCommonEnv } from '../common/env.ts';
import { defaultGatewaySettings } from './settings.ts';

/** The gateway's environment (read once, in main.ts). */
export const gatewayEnv = Object.freeze({
  ...fraudCommonEnv,
  ...httpServerEnv(8080),
  apiKey: env.secret('GATEWAY_API_KEY', { minLength: 16 }),
  bodyLimitBytes: env.int('GATEWAY_BODY_LIMIT_BYTES', {
    default: defaultGatewaySettings.bodyLimitBytes,
    min: 1024,
    max: 1024 * 1024,
  }),
  maxInFlight: env.int('GATEWAY_MAX_IN_FLIGHT', { default: defaultGatewaySettings.maxInFlight, min: 1 }),
  maxWaitMs: env.int('GATEWAY_MAX_WAIT_MS', {
    default: defaultGatewaySettings.maxWaitMs,
    min: 0,
    max: 120_000,
  }),
  maxWaiters: env.int('GATEWAY_MAX_WAITERS', { default: defaultGatewaySettings.maxWaiters, min: 1 }),
  produceTimeoutMs: env.int('GATEWAY_PRODUCE_TIMEOUT_MS', {
    default: defaultGatewaySettings.produceTimeoutMs,
    min: 10,
    max: 120_000,
  }),
  idempotencyTtlS: env.int('GATEWAY_IDEMPOTENCY_TTL_S', {
    default: defaultGatewaySettings.idempotencyTtlS,
    min: 60,
  }),
  producerMaxBuffered: env.int('GATEWAY_PRODUCER_MAX_BUFFERED', { default: 10_000, min: 1 }),
  // under load a Produce every 5 ms instead of every broker round trip (~4 ms: 256/s at 1,000
  // payments/s, now ~160/s)
  producerLingerMs: env.int('GATEWAY_PRODUCER_LINGER_MS', { default: 5, min: 0, max: 1000 }),
  paymentsPartitions: env.int('PAYMENTS_PARTITIONS', { default: 3, min: 1, max: 10_000 }),
});
