import {
  Kafka,
  logLevel as kafkajsLevel,
  type LogEntry,
  Partitioners,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import { KafkaSettingsError } from './errors.ts';
import { createConsoleLogger, isLogLevel, type Logger, type LogLevel } from './logger.ts';

export interface KafkaClientSettings {
  /** host:port of at least one broker. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives the client library's logs too (default: JSON lines on stderr). */
  readonly logger?: Logger;
  /** The client library's verbosity (default 'warn'). */
  readonly logLevel?: LogLevel;
  /** TCP connect timeout (default 3000 ms). */
  readonly connectionTimeoutMs?: number;
  /** Per-request timeout (default 30000 ms). */
  readonly requestTimeoutMs?: number;
  /** The client library behind the factories (default 'kafkajs'); see README "Client comparison". */
  readonly client?: KafkaClientKind;
}

export type KafkaClientKind = 'kafkajs' | 'platformatic';
export const kafkaClientKinds: readonly KafkaClientKind[] = Object.freeze(['kafkajs', 'platformatic']);

/** A configured connection factory: pass it to createProducer, runConsumer, ensureTopics… */
export interface KafkaClient {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
  /** Which client library the factories use for this client. */
  readonly implementation: KafkaClientKind;
}

/**
 * What createKafka builds; its library handles never appear in the public API. The kafkajs handle
 * exists for both implementations: topic admin stays on kafkajs (not on the hot path).
 */
export interface InternalKafkaClient extends KafkaClient {
  readonly kafkajs: Kafka;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

const BROKER = /^[^\s:,]+:\d{1,5}$/;

export function createKafka(settings: KafkaClientSettings): KafkaClient {
  const problems: string[] = [];
  const brokers = Array.isArray(settings.brokers) ? settings.brokers : [];
  if (brokers.length === 0) problems.push('brokers must list at least one host:port');
  for (const b of brokers)
    if (typeof b !== 'string' || !BROKER.test(b))
      problems.push(`broker ${JSON.stringify(b)} is not host:port`);
  if (typeof settings.clientId !== 'string' || settings.clientId.trim() === '')
    problems.push('clientId must be a non-empty string');
  const level = settings.logLevel ?? 'warn';
  if (!isLogLevel(level))
    problems.push(`logLevel ${JSON.stringify(level)} is not error|warn|info|debug|silent`);
  const connectionTimeout = settings.connectionTimeoutMs ?? 3000;
  const requestTimeout = settings.requestTimeoutMs ?? 30_000;
  for (const [name, v] of [
    ['connectionTimeoutMs', connectionTimeout],
    ['requestTimeoutMs', requestTimeout],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) problems.push(`${name} must be a positive integer (ms), got ${v}`);
  }
  const implementation = settings.client ?? 'kafkajs';
  if (!kafkaClientKinds.includes(implementation))
    problems.push(`client ${JSON.stringify(implementation)} is not ${kafkaClientKinds.join('|')}`);
  if (problems.length > 0) throw new KafkaSettingsError('Kafka client', problems);

  const logger = settings.logger ?? createConsoleLogger(level);
  const kafkajs = new Kafka({
    brokers: [...brokers],
    clientId: settings.clientId,
    connectionTimeout,
    requestTimeout,
    logLevel: toKafkajsLevel(level),
    logCreator: () => (entry) => forward(logger, entry),
  });
  const client: InternalKafkaClient = {
    clientId: settings.clientId,
    brokers: [...brokers],
    logger,
    implementation,
    kafkajs,
    connectionTimeoutMs: connectionTimeout,
    requestTimeoutMs: requestTimeout,
  };
  return Object.freeze(client);
}

/** The kafkajs handle behind a client made by createKafka (internal to this package). */
export function kafkajsOf(client: KafkaClient): Kafka {
  return internalOf(client).kafkajs;
}

/** The settings createKafka resolved (internal to this package). */
export function internalOf(client: KafkaClient): InternalKafkaClient {
  const internal = client as Partial<InternalKafkaClient>;
  if (!(internal.kafkajs instanceof Kafka)) {
    throw new KafkaSettingsError('Kafka client', [
      'expected a client made by createKafka() of @streamkit/kafka',
    ]);
  }
  return internal as InternalKafkaClient;
}

/**
 * A kafkajs producer with the Java-compatible murmur2 partitioner (the same key lands on the same
 * partition as with any other client). Passing it explicitly also keeps kafkajs from printing its
 * v2 partitioner notice.
 */
export function kafkajsProducer(
  client: KafkaClient,
  config: Omit<ProducerConfig, 'createPartitioner'>,
): Producer {
  return kafkajsOf(client).producer({
    allowAutoTopicCreation: false,
    ...config,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

function toKafkajsLevel(level: LogLevel): kafkajsLevel {
  switch (level) {
    case 'silent':
      return kafkajsLevel.NOTHING;
    case 'error':
      return kafkajsLevel.ERROR;
    case 'warn':
      return kafkajsLevel.WARN;
    case 'info':
      return kafkajsLevel.INFO;
    case 'debug':
      return kafkajsLevel.DEBUG;
  }
}

function forward(logger: Logger, { namespace, level, log }: LogEntry): void {
  const { message, timestamp: _t, logger: _l, ...fields } = log;
  const text = namespace ? `kafkajs ${namespace}: ${message}` : `kafkajs: ${message}`;
  if (level === kafkajsLevel.ERROR) {
    // kafkajs logs every error response it is about to retry (coordinator loading, leader moved) as
    // ERROR; the final outcome reaches callers as an exception, so these are debug noise.
    const retrying = namespace === 'Connection' || 'retryCount' in fields;
    if (retrying) logger.debug(text, fields);
    else logger.error(text, fields);
  } else if (level === kafkajsLevel.WARN) logger.warn(text, fields);
  else if (level === kafkajsLevel.INFO) logger.info(text, fields);
  else logger.debug(text, fields);
}
