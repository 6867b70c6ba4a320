/**
 * streamkit's own Kafka interface. Pipelines import only these types and the factories of this
 * package; the client library behind them (a driver, see driver.ts) is chosen per client without
 * touching them.
 */
import type { TopicDef } from '@streamkit/schemas';
import type { InfrastructureOutage } from './outage.ts';

export type Headers = Readonly<Record<string, string>>;

export interface OutgoingMessage<T> {
  readonly value: T;
  /** Defaults to topic.keyOf(value): ordering holds per key. */
  readonly key?: string;
  readonly headers?: Headers;
  /** Produce timestamp in epoch ms; defaults to now. */
  readonly timestamp?: number;
}

export interface IncomingMessage<T> {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as decimal strings. */
  readonly offset: string;
  readonly key: string | null;
  readonly value: T;
  /** Header values decoded as UTF-8, including `traceparent` when the producer had a span. */
  readonly headers: Headers;
  /** The record's timestamp (epoch ms). */
  readonly timestamp: number;
}

export interface TypedProducer {
  /** Validates every message against topic.validator (throws SchemaValidationError before sending anything invalid), injects the active trace context into headers, and resolves once the broker acknowledged all of them. */
  send<T>(topic: TopicDef<T>, messages: readonly OutgoingMessage<T>[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** What a batch handler may call while it works. */
export interface BatchContext {
  /** Aborted when the runner is asked to stop: finish or abandon the current batch quickly. */
  readonly signal: AbortSignal;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /**
   * The partition's high watermark when its records were fetched (kafkajs reports it; undefined
   * otherwise): a batch ending below it knows more records wait in Kafka.
   */
  readonly highWatermark?: string;
}

/** Produce inside the consumer's transaction (exactly-once read-process-write). */
export interface TransactionalOutput {
  send<T>(topic: TopicDef<T>, messages: readonly OutgoingMessage<T>[]): void;
}

export interface RetryPolicy {
  /** Attempts after the first failure before the message goes to the DLQ. */
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** The pause between attempts while a dependency is down: exponential from initial, capped at max, with jitter; no limit on attempts. */
export interface TransientRetryPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface RunningConsumer {
  /** Finishes the in-flight batch, commits what is done, leaves the group. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the consumer stopped (rejects when it crashed and could not go on). */
  readonly done: Promise<void>;
  /** While a dependency is down and runs wait for it: since when, why, which partitions; else undefined. */
  outage(): InfrastructureOutage | undefined;
}
