import { env, httpServerEnv } from '@streamkit/config';
import { recsCommonEnv } from '../common/env.ts';
import { defaultWebSettings } from './settings.ts';

/** The web service's environment (read once, in main.ts). */
export const webEnv = Object.freeze({
  ...recsCommonEnv,
  ...httpServerEnv(8070),
  sessionSecret: env.secret('WEB_SESSION_SECRET', { minLength: 32 }),
  eventsApiKey: env.secret('WEB_EVENTS_API_KEY', { optional: true, minLength: 16 }),
  bodyLimitBytes: env.int('WEB_BODY_LIMIT_BYTES', {
    default: defaultWebSettings.bodyLimitBytes,
    min: 1024,
    max: 4 * 1024 * 1024,
  }),
  maxBatchSize: env.int('WEB_MAX_BATCH_SIZE', {
    default: defaultWebSettings.maxBatchSize,
    min: 1,
    max: 10_000,
  }),
  maxInFlight: env.int('WEB_MAX_IN_FLIGHT', { default: defaultWebSettings.maxInFlight, min: 1 }),
  sessionEventsPerMinute: env.int('WEB_SESSION_EVENTS_PER_MINUTE', {
    default: defaultWebSettings.sessionEventsPerMinute,
    min: 1,
  }),
  sessionsPerAddressPerMinute: env.int('WEB_SESSIONS_PER_ADDRESS_PER_MINUTE', {
    default: defaultWebSettings.sessionsPerAddressPerMinute,
    min: 1,
    max: 1_000_000,
  }),
  produceTimeoutMs: env.int('WEB_PRODUCE_TIMEOUT_MS', {
    default: defaultWebSettings.produceTimeoutMs,
    min: 10,
    max: 120_000,
  }),
  producerMaxBuffered: env.int('WEB_PRODUCER_MAX_BUFFERED', { default: 10_000, min: 1 }),
  producerLingerMs: env.int('WEB_PRODUCER_LINGER_MS', { default: 2, min: 0, max: 1000 }),
  eventsPartitions: env.int('EVENTS_PARTITIONS', { default: 3, min: 1, max: 10_000 }),
  // compose seeds the catalog from the web service at start (idempotent); the demo seeds in prepare
  catalogSeedProducts: env.int('CATALOG_SEED_PRODUCTS', { default: 0, min: 0, max: 1_000_000 }),
  catalogSeed: env.int('CATALOG_SEED', { default: 1, min: 0 }),
  dbPoolSize: env.int('WEB_DB_POOL_SIZE', { default: 8, min: 1, max: 100 }),
});
