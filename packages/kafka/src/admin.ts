import { dlqTopicName } from '@streamkit/schemas';
import { connectThrough, type KafkaClient } from './client.ts';
import type { AdminDriver, TopicConfigEntry } from './driver.ts';
import { fromClientError, StreamkitKafkaError } from './errors.ts';
import { retryWithBackoff } from './retry.ts';
import { SettingsCheck } from './settings.ts';

export interface TopicSpec {
  readonly topic: string;
  /** Parallelism of the topic's consumers (default 1). An existing topic is grown, never shrunk. */
  readonly partitions?: number;
  /** Default 1 (one broker); 3 on a production cluster. */
  readonly replicationFactor?: number;
  /** How long records are kept (default: the broker's). */
  readonly retentionMs?: number;
  /** `delete` (default) or `compact` (keep the last record per key). */
  readonly cleanupPolicy?: 'delete' | 'compact';
  /** Also create `<topic>.dlq` (same settings, 1 partition). */
  readonly withDlq?: boolean;
}

export interface KafkaAdmin {
  /** Creates missing topics, grows partition counts and applies retention/cleanup; safe to repeat. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Names of the existing topics. */
  listTopics(): Promise<string[]>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** About 10 s of retries in all for retriable failures while ensuring topics. */
const ensureRetryPolicy = Object.freeze({ maxRetries: 6, initialBackoffMs: 100, maxBackoffMs: 3_000 });

/** An admin handle on the client's driver; call disconnect() when done. */
export async function createAdmin(kafka: KafkaClient): Promise<KafkaAdmin> {
  const admin = await connectThrough(kafka, 'admin', (driver) => driver.connectAdmin());
  return {
    ensureTopics: (specs) =>
      // Services of one pipeline start together and ensure the same topics: a topic another process
      // just created can be listed before its partitions have leaders (UNKNOWN_TOPIC_OR_PARTITION,
      // retriable). Retry those briefly instead of failing the start.
      retryWithBackoff(() => ensureWith(admin, specs), ensureRetryPolicy, {
        retryable: (error) => error instanceof StreamkitKafkaError && error.retriable,
      }),
    listTopics: () => admin.listTopics(),
    async deleteTopics(topics) {
      await admin.deleteTopics(topics).catch((e: unknown) => {
        throw fromClientError('delete topics', e);
      });
    },
    disconnect: () => admin.disconnect(),
  };
}

/** One-shot ensureTopics: connects an admin, ensures, disconnects. */
export async function ensureTopics(kafka: KafkaClient, specs: readonly TopicSpec[]): Promise<void> {
  expand(specs); // reject bad specs before connecting
  const admin = await createAdmin(kafka);
  try {
    await admin.ensureTopics(specs);
  } finally {
    await admin.disconnect();
  }
}

function expand(specs: readonly TopicSpec[]): TopicSpec[] {
  const check = new SettingsCheck();
  const out: TopicSpec[] = [];
  for (const s of specs) {
    check.that(
      typeof s.topic === 'string' && TOPIC_NAME.test(s.topic),
      `topic name ${JSON.stringify(s.topic)} is not valid`,
    );
    if (s.partitions !== undefined) check.integer(`${s.topic}.partitions`, s.partitions, 1, 10_000);
    if (s.replicationFactor !== undefined)
      check.integer(`${s.topic}.replicationFactor`, s.replicationFactor, 1, 10);
    if (s.retentionMs !== undefined)
      check.integer(`${s.topic}.retentionMs`, s.retentionMs, -1, Number.MAX_SAFE_INTEGER);
    check.that(
      s.cleanupPolicy === undefined || s.cleanupPolicy === 'delete' || s.cleanupPolicy === 'compact',
      `${s.topic}.cleanupPolicy must be delete or compact`,
    );
    out.push(s);
    if (s.withDlq) out.push({ ...s, topic: dlqTopicName(s.topic), partitions: 1, withDlq: false });
  }
  check.done('topic');
  return out;
}

async function ensureWith(admin: AdminDriver, specs: readonly TopicSpec[]): Promise<void> {
  const wanted = expand(specs);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics(
        missing.map((s) => ({
          topic: s.topic,
          partitions: s.partitions ?? 1,
          replicationFactor: s.replicationFactor ?? 1,
          configs: configEntries(s),
        })),
      );
    }
    const present = wanted.filter((s) => existing.has(s.topic));
    if (present.length === 0) return;
    const counts = await admin.partitionCounts(present.map((s) => s.topic));
    const grow = present.filter((s) => (counts.get(s.topic) ?? 0) < (s.partitions ?? 1));
    if (grow.length > 0) {
      await admin.createPartitions(grow.map((s) => ({ topic: s.topic, count: s.partitions ?? 1 })));
    }
    const configured = present.filter((s) => configEntries(s).length > 0);
    if (configured.length > 0) {
      await admin.alterTopicConfigs(configured.map((s) => ({ topic: s.topic, configs: configEntries(s) })));
    }
  } catch (error) {
    throw fromClientError(`ensure topics ${wanted.map((s) => s.topic).join(', ')}`, error);
  }
}

function configEntries(spec: TopicSpec): TopicConfigEntry[] {
  const entries: TopicConfigEntry[] = [];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  if (spec.cleanupPolicy !== undefined) entries.push({ name: 'cleanup.policy', value: spec.cleanupPolicy });
  return entries;
}
