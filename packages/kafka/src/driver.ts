/**
 * What the runners (producer, consumer loop, transactional processor, admin) need from a Kafka
 * client library. `kafkajs/` and `platformatic/` each implement it; `client.ts` picks one per
 * client. Everything above these operations — batching, backpressure, validation, decoding,
 * retries, poison isolation, the DLQ contract, transaction grouping, trace headers, stop and crash
 * handling — is shared, so both libraries keep the same behaviour. A driver imports only this
 * file, records.ts, types.ts, errors.ts, logger.ts and retry.ts of the shared code (checked by
 * test/layout.test.ts).
 */
import type { Logger, LogLevel } from './logger.ts';
import type { ConsumedRecord, TopicRecords } from './records.ts';
import type { BatchContext } from './types.ts';

export type KafkaClientKind = 'kafkajs' | 'platformatic';

/** The settings createKafka resolved, as a driver receives them. */
export interface DriverConfig {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
  readonly logLevel: LogLevel;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** kafkajs' retries per request; undefined: the library's default. */
  readonly retries?: number;
}

/** What `kafkajs/driver.ts` and `platformatic/driver.ts` export (loaded with a dynamic import). */
export interface DriverModule {
  createDriver(config: DriverConfig): KafkaDriver;
}

/**
 * One client library behind @streamkit/kafka. Connect failures are thrown as the library raised
 * them (after the driver released what it opened): the runners name what failed.
 */
export interface KafkaDriver {
  readonly kind: KafkaClientKind;
  /** An idempotent producer (acks=all, one request in flight, Java-compatible partitioner). */
  connectProducer(): Promise<ProducerTransport>;
  connectTransactionalProducer(settings: TransactionalProducerSettings): Promise<TransactionalProducer>;
  /** A group member; nothing is connected before start(). */
  createConsumer(settings: ConsumerDriverSettings): DriverConsumer;
  connectAdmin(): Promise<AdminDriver>;
  /**
   * Every record of `topic` (read_committed) from its start up to its end offsets at the time of
   * the call, in partition and offset order; commits nothing (a throwaway group). For tools (the
   * DLQ command), not for pipelines. Rejects after `timeoutMs`.
   */
  readTopic(topic: string, timeoutMs: number): Promise<StoredRecord[]>;
}

/** A record as read back by readTopic. */
export interface StoredRecord extends ConsumedRecord {
  readonly partition: number;
}

/** An idempotent producer connection: one call = one acks=all produce request. */
export interface ProducerTransport {
  sendBatch(records: readonly TopicRecords[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** How far one partition got, and how to make that durable. */
export interface PartitionProgress {
  readonly partition: number;
  readonly context: BatchContext;
  /** Moves the consumer's in-memory position past `offset` (so it is not fetched again). */
  resolve(offset: string): void;
  /** Commits the group offset `next` (last processed + 1) for this partition. */
  commit(next: string): Promise<void>;
}

/** Records of one partition, fetched together, in offset order. */
export interface FetchedBatch {
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The partition's high watermark when the library reports it (for the lag metric). */
  readonly highWatermark?: string;
  readonly progress: PartitionProgress;
  /** False once the batch must not go on (the member stopped, or a rebalance made it stale). */
  isCurrent(): boolean;
}

export interface ConsumerDriverSettings {
  readonly groupId: string;
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly partitionsConsumedConcurrently: number;
  readonly readUncommitted: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly fetchMaxWaitMs: number;
  /** Bytes a fetch waits for (up to fetchMaxWaitMs) before it answers. */
  readonly fetchMinBytes: number;
  /** Most bytes per partition in one fetch (undefined: the library's default). */
  readonly fetchMaxBytesPerPartition?: number;
  readonly logger: Logger;
  /** Aborted when the runner stops: no new batch is started. */
  readonly signal: AbortSignal;
  /**
   * The runner's work on one batch (batches of different partitions may run side by side). A
   * rejection means a commit or DLQ write failed: the driver restarts from the committed offsets.
   */
  processBatch(batch: FetchedBatch): Promise<void>;
  /** The library failed; unless it restarts by itself, the runner finishes with `error`. */
  crashed(error: unknown, restarting: boolean): void;
}

export interface DriverConsumer {
  /** Connects, subscribes and starts fetching; resolves once the group is joined. */
  start(): Promise<void>;
  /** Waits for the batches in flight (the signal is aborted first), leaves the group, disconnects. */
  close(): Promise<void>;
}

export interface TransactionalProducerSettings {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  readonly groupId: string;
  readonly topic: string;
  readonly logger: Logger;
}

/** A transactional producer: one transaction open at a time. */
export interface TransactionalProducer {
  begin(): Promise<DriverTransaction>;
  disconnect(): Promise<void>;
}

/** Where one partition's run ends, for the transaction's offset commit. */
export interface ConsumedPosition {
  readonly progress: PartitionProgress;
  /** The offset of the run's last record. */
  readonly last: string;
  /** The offset to commit: last + 1. */
  readonly next: string;
}

export interface DriverTransaction {
  /** Sends the records in one produce request (an empty list sends nothing). */
  send(records: readonly TopicRecords[]): Promise<void>;
  /** Commits the consumed positions with the transaction (the consumer group's offsets). */
  addOffsets(positions: readonly ConsumedPosition[]): Promise<void>;
  commit(): Promise<void>;
  /** Aborts; a failure to abort is logged, never thrown (the caller reports the original failure). */
  abort(): Promise<void>;
}

export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: readonly TopicConfigEntry[];
}

export interface TopicConfigEntry {
  readonly name: string;
  readonly value: string;
}

/** The topic operations ensureTopics and KafkaAdmin are made of. */
export interface AdminDriver {
  listTopics(): Promise<string[]>;
  /** Creates the topics and waits for their leaders; one a concurrent creator made first is fine. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  partitionCounts(topics: readonly string[]): Promise<ReadonlyMap<string, number>>;
  createPartitions(topics: readonly { topic: string; count: number }[]): Promise<void>;
  /** Sets these entries as the topics' configuration (AlterConfigs: the spec is the source of truth). */
  alterTopicConfigs(
    topics: readonly { topic: string; configs: readonly TopicConfigEntry[] }[],
  ): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}
