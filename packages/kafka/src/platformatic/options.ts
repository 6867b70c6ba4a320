import { compatibilityPartitioner, type MessageToProduce } from '@platformatic/kafka';
import type { Message } from 'kafkajs';
import { internalOf, type KafkaClient } from '../client.ts';

/** The connection options every @platformatic/kafka client of `kafka` shares. */
export function baseOptions(kafka: KafkaClient, role: string) {
  const internal = internalOf(kafka);
  return {
    clientId: `${internal.clientId}-${role}`,
    bootstrapBrokers: [...internal.brokers],
    connectTimeout: internal.connectionTimeoutMs,
    timeout: internal.requestTimeoutMs,
    // topics are created by ensureTopics only, as with kafkajs (allowAutoTopicCreation: false)
    autocreateTopics: false,
  };
}

/**
 * Java's partitioner (murmur2 & 0x7fffffff, modulo the partition count, which the producer
 * applies): a key lands on the same partition as with kafkajs's DefaultPartitioner.
 */
export const javaCompatiblePartitioner = compatibilityPartitioner;

/** A record in kafkajs's shape (our neutral one) as @platformatic/kafka sends it. */
export function toPlatformatic(topic: string, message: Message): MessageToProduce {
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
