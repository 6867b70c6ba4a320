import { compatibilityPartitioner, type MessageToProduce } from '@platformatic/kafka';
import type { DriverConfig } from '../driver.ts';
import type { OutgoingRecord, TopicRecords } from '../records.ts';

/** The connection options every @platformatic/kafka client of one KafkaClient shares. */
export function baseOptions(config: DriverConfig, role: string) {
  return {
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: [...config.brokers],
    connectTimeout: config.connectionTimeoutMs,
    timeout: config.requestTimeoutMs,
    // topics are created by ensureTopics only, as with kafkajs (allowAutoTopicCreation: false)
    autocreateTopics: false,
  };
}

/**
 * Java's partitioner (murmur2 & 0x7fffffff, modulo the partition count, which the producer
 * applies): a key lands on the same partition as with kafkajs's DefaultPartitioner.
 */
export const javaCompatiblePartitioner = compatibilityPartitioner;

/** The records of one produce request as @platformatic/kafka sends them. */
export function toPlatformaticMessages(records: readonly TopicRecords[]): MessageToProduce[] {
  return records.flatMap(({ topic, messages }) => messages.map((m) => toPlatformatic(topic, m)));
}

function toPlatformatic(topic: string, message: OutgoingRecord): MessageToProduce {
  const headers = new Map<Buffer, Buffer>();
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value !== undefined) headers.set(Buffer.from(name), toBuffer(value));
  }
  return {
    topic,
    key: message.key === null || message.key === undefined ? undefined : toBuffer(message.key),
    value: message.value === null || message.value === undefined ? undefined : toBuffer(message.value),
    headers,
    timestamp: message.timestamp === undefined ? undefined : BigInt(message.timestamp),
  };
}

function toBuffer(value: Buffer | string): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
}

/**
 * Waits for a client's first request; when it fails, closes the client (`close`: an Admin's
 * close takes only a callback, a producer's takes `force` first) before rethrowing the request's
 * error — a failing close must not hide why the client could not connect.
 */
export async function closedOnFailure(close: () => Promise<unknown>, first: Promise<unknown>): Promise<void> {
  try {
    await first;
  } catch (error) {
    try {
      await close();
    } catch {
      // the connection that failed may already be gone
    }
    throw error;
  }
}
