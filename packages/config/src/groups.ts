import { env } from './env.ts';

/** host:port or [ipv6]:port, port 1..65535. */
function isHostPort(item: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(item);
  const port = Number(match?.[2]);
  return match !== null && port >= 1 && port <= 65535;
}

/**
 * Kafka bootstrap brokers, the client id the broker logs and quotas see, and the client library
 * behind @streamkit/kafka (pass it to createKafka as `client`; kafkajs unless measured otherwise).
 */
export const kafkaEnv = Object.freeze({
  kafkaBrokers: env.list('KAFKA_BROKERS', {
    default: ['127.0.0.1:9092'],
    item: { test: isHostPort, expected: 'host:port' },
  }),
  kafkaClientId: env.string('KAFKA_CLIENT_ID', {
    default: 'streamkit',
    maxLength: 255,
    pattern: /^[A-Za-z0-9._-]+$/,
  }),
  kafkaClient: env.enum('KAFKA_CLIENT', ['kafkajs', 'platformatic'], { default: 'kafkajs' }),
});

export const postgresEnv = Object.freeze({
  databaseUrl: env.url('DATABASE_URL', {
    default: 'postgres://postgres@127.0.0.1:5432/postgres',
    protocols: ['postgres', 'postgresql'],
  }),
});

export const redisEnv = Object.freeze({
  redisUrl: env.url('REDIS_URL', { default: 'redis://127.0.0.1:6379', protocols: ['redis', 'rediss'] }),
});

export const mqttEnv = Object.freeze({
  mqttUrl: env.url('MQTT_URL', {
    default: 'mqtt://127.0.0.1:1883',
    protocols: ['mqtt', 'mqtts', 'ws', 'wss'],
  }),
});

/** Traces go to OTLP/HTTP when an endpoint is set; /metrics is served on METRICS_PORT (0: any free port). */
export const telemetryEnv = Object.freeze({
  otlpEndpoint: env.url('OTEL_EXPORTER_OTLP_ENDPOINT', { optional: true, protocols: ['http', 'https'] }),
  metricsPort: env.port('METRICS_PORT', { default: 9464, allowZero: true }),
});

/**
 * How far into the future an event's own time may lie (producers' clock skew); later events are
 * refused at ingress (400) and dead-lettered downstream, so one record cannot move a watermark.
 */
export const eventTimeEnv = Object.freeze({
  maxFutureSkewMs: env.int('EVENT_TIME_MAX_FUTURE_SKEW_MS', { default: 300_000, min: 0, max: 86_400_000 }),
});

/** Where an HTTP service listens: PORT (0: any free port) on HOST (every interface by default). */
export function httpServerEnv(defaultPort: number) {
  return Object.freeze({
    port: env.port('PORT', { default: defaultPort, allowZero: true }),
    host: env.string('HOST', { default: '0.0.0.0' }),
  });
}

/**
 * A service page's sessions (`usePageSessions` of @streamkit/http): how many one client address
 * gets per minute, `<PREFIX>_SESSIONS_PER_ADDRESS_PER_MINUTE` (default 10).
 */
export function pageSessionsEnv(prefix: string) {
  return Object.freeze({
    sessionsPerMinute: env.int(`${prefix}_SESSIONS_PER_ADDRESS_PER_MINUTE`, {
      default: 10,
      min: 1,
      max: 10_000,
    }),
  });
}

/** Prepended to every Kafka topic name: isolates test files and deployments sharing a broker. */
export const topicPrefixEnv = Object.freeze({
  topicPrefix: env.string('KAFKA_TOPIC_PREFIX', { default: '', minLength: 0, pattern: /^[a-z0-9._-]*$/ }),
});

/** Prepended to every Redis key of a pipeline (`defaultPrefix`, e.g. "fraud:"); same purpose. */
export function redisKeyPrefixEnv(defaultPrefix: string) {
  return Object.freeze({
    redisKeyPrefix: env.string('REDIS_KEY_PREFIX', { default: defaultPrefix, pattern: /^[A-Za-z0-9:._-]+$/ }),
  });
}

/**
 * What every service of a pipeline on Kafka, Redis and PostgreSQL shares: the connections,
 * telemetry, event-time bounds and the topic and key prefixes (`redisKeyPrefix`: its default).
 */
export function kafkaRedisPostgresEnv(redisKeyPrefix: string) {
  return Object.freeze({
    ...kafkaEnv,
    ...redisEnv,
    ...postgresEnv,
    ...telemetryEnv,
    ...eventTimeEnv,
    ...topicPrefixEnv,
    ...redisKeyPrefixEnv(redisKeyPrefix),
  });
}
