import { describe, expect, it } from 'vitest';
import {
  env,
  eventTimeEnv,
  httpServerEnv,
  kafkaEnv,
  loadConfig,
  mqttEnv,
  pageSessionsEnv,
  postgresEnv,
  redisEnv,
  telemetryEnv,
} from '../src/index.ts';
import { problemsOf } from './helpers.ts';

const spec = { ...kafkaEnv, ...postgresEnv, ...redisEnv, ...mqttEnv, ...telemetryEnv };

describe('ready-made groups', () => {
  it('default to the local services', () => {
    expect(loadConfig(spec, {})).toEqual({
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaClientId: 'streamkit',
      kafkaClient: 'kafkajs',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
      mqttUrl: 'mqtt://127.0.0.1:1883',
      otlpEndpoint: undefined,
      metricsPort: 9464,
    });
  });

  it('read the standard variables', () => {
    const config = loadConfig(spec, {
      KAFKA_BROKERS: 'kafka-1:9092, [::1]:9093',
      KAFKA_CLIENT_ID: 'fraud-scorer',
      KAFKA_CLIENT: 'platformatic',
      DATABASE_URL: 'postgresql://app@db:5432/fraud',
      REDIS_URL: 'rediss://cache:6380',
      MQTT_URL: 'ws://broker:8080/mqtt',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      METRICS_PORT: '0',
    });
    expect(config.kafkaBrokers).toEqual(['kafka-1:9092', '[::1]:9093']);
    expect(config.kafkaClientId).toBe('fraud-scorer');
    expect(config.kafkaClient).toBe('platformatic');
    expect(config.databaseUrl).toBe('postgresql://app@db:5432/fraud');
    expect(config.redisUrl).toBe('rediss://cache:6380');
    expect(config.mqttUrl).toBe('ws://broker:8080/mqtt');
    expect(config.otlpEndpoint).toBe('http://collector:4318');
    expect(config.metricsPort).toBe(0);
  });

  it('reject malformed values of every group at once', () => {
    expect(
      problemsOf(spec, {
        KAFKA_BROKERS: 'kafka-1,kafka-2:99999',
        KAFKA_CLIENT: 'rdkafka',
        DATABASE_URL: 'mysql://db/x',
        REDIS_URL: 'redis//cache',
        MQTT_URL: 'tcp://broker:1883',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
        METRICS_PORT: 'metrics',
      }),
    ).toEqual([
      'KAFKA_BROKERS: expected a comma-separated list of host:port, got "kafka-1,kafka-2:99999"',
      'KAFKA_CLIENT: expected one of kafkajs, platformatic, got "rdkafka"',
      'DATABASE_URL: expected a URL with scheme postgres:// or postgresql://, got "mysql://db/x"',
      'REDIS_URL: expected a URL with scheme redis:// or rediss://, got "redis//cache"',
      'MQTT_URL: expected a URL with scheme mqtt:// or mqtts:// or ws:// or wss://, got "tcp://broker:1883"',
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected a URL with scheme http:// or https://, got "grpc://collector:4317"',
      'METRICS_PORT: expected a port number 0..65535 (0: any free port), got "metrics"',
    ]);
  });

  it('can be overridden field by field by spreading after them', () => {
    const custom = { ...kafkaEnv, kafkaClientId: env.string('KAFKA_CLIENT_ID', { default: 'iot-bridge' }) };
    expect(loadConfig(custom, {}).kafkaClientId).toBe('iot-bridge');
  });

  it('bound event time into the future: 5 min by default, at most a day', () => {
    expect(loadConfig(eventTimeEnv, {})).toEqual({ maxFutureSkewMs: 300_000 });
    expect(loadConfig(eventTimeEnv, { EVENT_TIME_MAX_FUTURE_SKEW_MS: '0' })).toEqual({ maxFutureSkewMs: 0 });
    expect(problemsOf(eventTimeEnv, { EVENT_TIME_MAX_FUTURE_SKEW_MS: '90000000' })).toEqual([
      expect.stringMatching(/^EVENT_TIME_MAX_FUTURE_SKEW_MS: /),
    ]);
  });

  it('an HTTP service listens on PORT (its own default, 0 allowed) and HOST', () => {
    expect(loadConfig(httpServerEnv(8090), {})).toEqual({ port: 8090, host: '0.0.0.0' });
    expect(loadConfig(httpServerEnv(8090), { PORT: '0', HOST: '127.0.0.1' })).toEqual({
      port: 0,
      host: '127.0.0.1',
    });
  });

  it("a page's sessions per address per minute come from the service's own prefix", () => {
    expect(loadConfig(pageSessionsEnv('ALERTS'), {})).toEqual({ sessionsPerMinute: 10 });
    expect(loadConfig(pageSessionsEnv('ALERTS'), { ALERTS_SESSIONS_PER_ADDRESS_PER_MINUTE: '3' })).toEqual({
      sessionsPerMinute: 3,
    });
    expect(problemsOf(pageSessionsEnv('ALERTS'), { ALERTS_SESSIONS_PER_ADDRESS_PER_MINUTE: '0' })).toEqual([
      expect.stringMatching(/^ALERTS_SESSIONS_PER_ADDRESS_PER_MINUTE: /),
    ]);
  });
});
