import { env } from '@streamkit/config';
import { recsCommonEnv } from '../common/env.ts';

/** The generator's environment (see README.md for the modes). */
export const generatorEnv = Object.freeze({
  ...recsCommonEnv,
  mode: env.enum('GENERATOR_MODE', ['history', 'live'], { default: 'history' }),
  /** history → "kafka" (through the pipeline) or "postgres" (offline-store backfill only). */
  historyTarget: env.enum('GENERATOR_HISTORY_TARGET', ['kafka', 'postgres'], { default: 'kafka' }),
  seed: env.string('GENERATOR_SEED', { default: '42' }),
  users: env.int('GENERATOR_USERS', { default: 2000, min: 1, max: 10_000_000 }),
  products: env.int('CATALOG_PRODUCTS', { default: 10_000, min: 1, max: 1_000_000 }),
  historyDays: env.number('GENERATOR_HISTORY_DAYS', { default: 7, min: 0.01, max: 365 }),
  sessionsPerUserPerDay: env.number('GENERATOR_SESSIONS_PER_USER_PER_DAY', {
    default: 0.5,
    min: 0.01,
    max: 100,
  }),
  webUrl: env.url('GENERATOR_WEB_URL', { default: 'http://127.0.0.1:8070', protocols: ['http', 'https'] }),
  /** The web service's key for trusted senders; live mode is refused (401) without it. */
  eventsApiKey: env.secret('WEB_EVENTS_API_KEY', { optional: true, minLength: 16 }),
  rate: env.number('GENERATOR_RATE', { default: 50, min: 0.1, max: 100_000 }),
  /** 0 = until stopped. */
  durationSeconds: env.number('GENERATOR_DURATION_SECONDS', { default: 0, min: 0 }),
  /** Partitions of the events topic when history mode creates it (an existing topic is grown, never shrunk). */
  eventsPartitions: env.int('EVENTS_PARTITIONS', { default: 3, min: 1, max: 10_000 }),
  /** `/metrics` and `/health` while it runs (default: a free port). */
  metricsPort: env.port('METRICS_PORT', { default: 0, allowZero: true }),
});
