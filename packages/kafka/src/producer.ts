import type { TopicDef } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { KafkaClient } from './client.ts';
import { encodeMessages } from './codec.ts';
import { fromClientError, KafkaBackpressureError, KafkaClosedError, StreamkitKafkaError } from './errors.ts';
import { openProducerSession } from './producer-session.ts';
import { byTopic, type OutgoingRecord } from './records.ts';
import { SettingsCheck } from './settings.ts';
import type { OutgoingMessage, TypedProducer } from './types.ts';

export interface ProducerSettings {
  /** How long a message may wait for others to share its produce request (default 5 ms; 0 = no wait). */
  readonly lingerMs?: number;
  /** Most messages per produce request (default 500). */
  readonly maxBatchSize?: number;
  /**
   * Most bytes (keys, values, headers) per produce request (default 512 KiB; a single larger
   * message still goes alone). The broker refuses a record batch past its message.max.bytes
   * (1 MiB by default) and kafkajs retries the whole request: without this bound, a few hundred
   * large messages queued together would fail every time and hold the buffer.
   */
  readonly maxBatchBytes?: number;
  /**
   * Bound on messages buffered or in flight (default 10000). Beyond it, send() rejects at once with
   * KafkaBackpressureError instead of buffering without limit.
   */
  readonly maxBufferedMessages?: number;
  /**
   * How long one produce request may wait for a new idempotent session (default 30000 ms) when the
   * broker refused the old one (out-of-order sequence, unknown producer id, fenced epoch) or the
   * previous request failed; past it the request's sends reject with a retriable error.
   */
  readonly sessionResetTimeoutMs?: number;
  readonly metrics?: PipelineMetrics;
}

interface SendCall {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

interface Queued {
  readonly topic: string;
  readonly message: OutgoingRecord;
  readonly call: SendCall;
  /** performance.now() when it was queued. */
  readonly queuedAt: number;
}

/**
 * An idempotent producer (acks=all) that validates, batches within a linger window and bounds its
 * buffer. One produce request is in flight at a time: kafkajs does not re-sequence an idempotent
 * producer's concurrent requests (tulios/kafkajs#598, #980), and one-at-a-time keeps each key's
 * messages in the order send() was called. A lost idempotent session is replaced and the batch sent
 * again (producer-session.ts): a send that resolved is in Kafka, at least once.
 */
export async function createProducer(
  kafka: KafkaClient,
  settings: ProducerSettings = {},
): Promise<TypedProducer> {
  const lingerMs = settings.lingerMs ?? 5;
  const maxBatchSize = settings.maxBatchSize ?? 500;
  const maxBuffered = settings.maxBufferedMessages ?? 10_000;
  const maxBatchBytes = settings.maxBatchBytes ?? 512 * 1024;
  const sessionResetTimeoutMs = settings.sessionResetTimeoutMs ?? 30_000;
  const check = new SettingsCheck();
  check.integer('lingerMs', lingerMs, 0, 10_000);
  check.integer('maxBatchSize', maxBatchSize, 1, 100_000);
  check.integer('maxBufferedMessages', maxBuffered, 1, 10_000_000);
  check.integer('maxBatchBytes', maxBatchBytes, 1024, 1024 * 1024 * 1024);
  check.integer('sessionResetTimeoutMs', sessionResetTimeoutMs, 1, 600_000);
  check.done('producer');

  const producer = await openProducerSession(kafka, {
    resetTimeoutMs: sessionResetTimeoutMs,
    resets: settings.metrics?.producerSessionResets,
  });

  const queue: Queued[] = [];
  let inFlight = 0;
  let flushing: Promise<void> | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  let batchMsEstimate = 10;

  function startFlush(): void {
    if (lingerTimer !== undefined) clearTimeout(lingerTimer);
    lingerTimer = undefined;
    // flushLoop reaches its first await before returning, so `flushing` is set before it is reset
    if (flushing === undefined && queue.length > 0) flushing = flushLoop();
  }

  function schedule(): void {
    if (flushing !== undefined) return; // the running loop sends what was queued meanwhile
    if (queue.length >= maxBatchSize || lingerMs === 0) startFlush();
    else lingerTimer ??= setTimeout(startFlush, lingerMs);
  }

  async function flushLoop(): Promise<void> {
    try {
      while (queue.length > 0) {
        await lingerForCompanions();
        await sendOneBatch(queue.splice(0, batchLength()));
      }
    } finally {
      // reset in the same tick as the last emptiness check, before any caller's continuation runs
      flushing = undefined;
    }
  }

  /**
   * What queued while a request was in flight waits until its oldest message has lingered too (or
   * a batch is full): sending it at once would make the request rate follow the broker's round
   * trip (a Produce per ~4 ms under load) instead of the linger.
   */
  async function lingerForCompanions(): Promise<void> {
    const oldest = queue[0];
    if (oldest === undefined || queue.length >= maxBatchSize) return;
    const waitMs = oldest.queuedAt + lingerMs - performance.now();
    if (waitMs >= 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  /** How many queued messages the next request takes: up to maxBatchSize and maxBatchBytes, at least one. */
  function batchLength(): number {
    let bytes = 0;
    let length = 0;
    for (const { message } of queue) {
      if (length === maxBatchSize) break;
      bytes += recordBytes(message);
      if (length > 0 && bytes > maxBatchBytes) break;
      length++;
    }
    return length;
  }

  async function sendOneBatch(batch: Queued[]): Promise<void> {
    inFlight = batch.length;
    const records = byTopic(batch);
    const started = performance.now();
    try {
      await producer.sendBatch(records);
      for (const { topic, messages } of records) settings.metrics?.eventsOut.inc({ topic }, messages.length);
      for (const q of batch) if (--q.call.remaining === 0 && !q.call.settled) settle(q.call);
    } catch (error) {
      const failure = fromClientError(`produce to ${records.map((r) => r.topic).join(', ')}`, error);
      for (const q of batch) if (!q.call.settled) settle(q.call, failure);
    } finally {
      inFlight = 0;
      batchMsEstimate = 0.8 * batchMsEstimate + 0.2 * (performance.now() - started);
    }
  }

  function enqueue<T>(topic: TopicDef<T>, messages: readonly OutgoingMessage<T>[]): Promise<void> {
    const encoded = encodeMessages(topic, messages, () =>
      settings.metrics?.eventsFailed.inc({ topic: topic.name, reason: 'invalid' }),
    );
    if (encoded.length > maxBuffered) {
      throw new StreamkitKafkaError(
        `send of ${encoded.length} messages exceeds maxBufferedMessages (${maxBuffered})`,
      );
    }
    const buffered = queue.length + inFlight;
    if (buffered + encoded.length > maxBuffered) {
      settings.metrics?.eventsFailed.inc({ topic: topic.name, reason: 'rejected' }, encoded.length);
      const drainMs = Math.ceil(batchMsEstimate * Math.max(1, buffered / maxBatchSize));
      throw new KafkaBackpressureError(
        `producer buffer full (${buffered}/${maxBuffered} messages buffered or in flight)`,
        Math.min(30_000, Math.max(lingerMs, drainMs, 1)),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const call: SendCall = { remaining: encoded.length, settled: false, resolve, reject };
      const queuedAt = performance.now();
      for (const message of encoded) queue.push({ topic: topic.name, message, call, queuedAt });
      schedule();
    });
  }

  return {
    async send(topic, messages) {
      if (closing !== undefined) throw new KafkaClosedError('producer is disconnected');
      if (messages.length === 0) return;
      return enqueue(topic, messages);
    },
    disconnect() {
      closing ??= (async () => {
        startFlush();
        await flushing;
        await producer.disconnect();
      })();
      return closing;
    },
  };
}

function recordBytes(record: OutgoingRecord): number {
  let bytes = byteLength(record.key) + byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) bytes += name.length + byteLength(value);
  return bytes;
}

function byteLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + byteLength(v), 0);
  return 0;
}

function settle(call: SendCall, error?: unknown): void {
  call.settled = true;
  if (error === undefined) call.resolve();
  else call.reject(error);
}
