import {
  Kafka,
  logLevel as kafkajsLevel,
  type LogEntry,
  Partitioners,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import type { DriverConfig } from '../driver.ts';
import type { Logger, LogLevel } from '../logger.ts';

/** The kafkajs handle of one client; its logs go to the client's logger. */
export function createKafkajs(config: DriverConfig): Kafka {
  return new Kafka({
    brokers: [...config.brokers],
    clientId: config.clientId,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logLevel: toKafkajsLevel(config.logLevel),
    ...(config.retries === undefined ? {} : { retry: { retries: config.retries } }),
    logCreator: () => (entry) => forward(config.logger, entry),
  });
}

/**
 * A kafkajs producer with the Java-compatible murmur2 partitioner (the same key lands on the same
 * partition as with any other client). Passing it explicitly also keeps kafkajs from printing its
 * v2 partitioner notice. Topics are created by ensureTopics only.
 */
export function kafkajsProducer(kafka: Kafka, config: Omit<ProducerConfig, 'createPartitioner'>): Producer {
  return kafka.producer({
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
