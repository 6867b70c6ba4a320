import { setTimeout as delay } from 'node:timers/promises';
import { type Link, SpanKind, trace } from '@opentelemetry/api';
import {
  type IncomingMessage,
  type InfrastructureOutage,
  type KafkaClient,
  messageContext,
  PoisonError,
  type RunningConsumer,
  runConsumer,
  withMessageContext,
} from '@streamkit/kafka';
import { describeError, type Logger } from '@streamkit/runtime';
import { futureEventTime, type UserEvent } from '@streamkit/schemas';
import { getTracer, type PipelineMetrics, withSpan } from '@streamkit/telemetry';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import type { RecsTopics } from '../common/topics.ts';
import { appendEvents } from './event-log.ts';
import type { FeaturesMetrics } from './features-metrics.ts';
import { type ProcessedMarker, readMarker } from './marker-fence.ts';
import { globalWatermark, refreshPopularity } from './online-read.ts';
import { type AppliedBatch, applyToOnlineStore } from './online-store.ts';
import type { FeaturesSettings } from './settings.ts';
import { snapshotUsers } from './snapshots.ts';

export interface FeaturesWorkerDeps {
  kafka: KafkaClient;
  redis: Redis;
  pool: Pool;
  topics: RecsTopics;
  keys: RecsRedisKeys;
  categoryOf(productId: string): string | undefined;
  settings: FeaturesSettings;
  metrics?: PipelineMetrics;
  featuresMetrics?: FeaturesMetrics;
  logger: Logger;
}

export interface FeaturesWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly done: Promise<void>;
  /** While Redis or PostgreSQL is down and events wait for it: since when and why (for /health). */
  outage(): InfrastructureOutage | undefined;
}

/**
 * The features worker: consumes ecommerce.events, appends the offline event log (Postgres) and
 * updates the online store (Redis) exactly once per event (see README.md for the argument).
 */
export function createFeaturesWorker(deps: FeaturesWorkerDeps): FeaturesWorker {
  const { redis, pool, keys, settings, logger } = deps;
  const topic = deps.topics.events;
  let consumer: RunningConsumer | undefined;
  let watermark = 0;
  let popularityStale = false;
  let refreshTimer: NodeJS.Timeout | undefined;
  let touched = new Set<string>();
  let snapshotTimer: NodeJS.Timeout | undefined;
  let resolveDone: () => void = () => undefined;
  let rejectDone: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const tracer = getTracer('recs-features');

  /**
   * One span per run, continuing the trace of its first event (HTTP → Kafka → features → Redis)
   * and linked to the traces of the others.
   */
  function traced(partition: number, messages: IncomingMessage<UserEvent>[]): Promise<void> {
    const links: Link[] = messages.slice(1).flatMap((m) => {
      const context = trace.getSpanContext(messageContext(m));
      return context === undefined ? [] : [{ context }];
    });
    const first = messages[0] as IncomingMessage<UserEvent>;
    return withMessageContext(first, () =>
      withSpan(
        tracer,
        'recs.features.apply',
        { 'messaging.destination.partition.id': partition, 'messaging.batch.message_count': messages.length },
        () => handlePartitionRun(partition, messages),
        { kind: SpanKind.CONSUMER, links },
      ),
    );
  }

  async function handlePartitionRun(
    partition: number,
    messages: IncomingMessage<UserEvent>[],
  ): Promise<void> {
    // another member may apply this partition at the same time around a rebalance (the old owner
    // finishing its run): each attempt is fenced on the marker it read, and a lost race reads again
    for (;;) {
      const marker = await readMarker(redis, keys, topic.name, partition);
      const fresh = messages.filter((m) => BigInt(m.offset) > marker.offset);
      if (fresh.length === 0) return;
      const result = await applyFresh(partition, marker, fresh);
      if (result !== undefined) return;
      deps.featuresMetrics?.fenced.inc();
    }
  }

  /** The fresh records of a run, applied once; undefined when the marker moved (nothing written). */
  async function applyFresh(
    partition: number,
    marker: ProcessedMarker,
    fresh: IncomingMessage<UserEvent>[],
  ): Promise<AppliedBatch | undefined> {
    const owners = await appendEvents(pool, fresh);
    const own = fresh.filter((m) => {
      const owner = owners.get(m.value.eventId);
      return owner?.partition === m.partition && owner.offset === m.offset;
    });
    // the marker must cover the whole run, duplicates at its end included
    const events = own.map((m) => ({ event: m.value, offset: m.offset }));
    const through = (fresh.at(-1) as IncomingMessage<UserEvent>).offset;
    const run = { topic: topic.name, partition, events, marker, through };
    const result = await applyToOnlineStore(redis, keys, run, deps.categoryOf, settings);
    if (result === undefined) return undefined;
    const duplicates = fresh.length - own.length;
    if (duplicates > 0) deps.featuresMetrics?.duplicates.inc(duplicates);
    if (own.length === 0) return result;
    if (result.late > 0) deps.featuresMetrics?.lateEvents.inc(result.late);
    deps.featuresMetrics?.applied.inc(result.applied);
    for (const u of result.users) touched.add(u);
    watermark = Math.max(watermark, result.watermarkMs);
    deps.featuresMetrics?.watermark.set(watermark / 1000);
    await redis.publish(keys.userChanged(), String(result.users.length));
    popularityStale = true;
    return result;
  }

  async function refresh(): Promise<void> {
    if (!popularityStale) return;
    popularityStale = false;
    // other partitions (other replicas, the run before a restart) may be ahead
    await refreshPopularity(redis, keys, Math.max(watermark, await globalWatermark(redis, keys)));
  }

  async function snapshot(): Promise<void> {
    const users = [...touched];
    touched = new Set();
    for (let i = 0; i < users.length; i += 500)
      await snapshotUsers(redis, keys, pool, users.slice(i, i + 500));
  }

  return {
    done,
    outage: () => consumer?.outage(),
    async start() {
      consumer = await runConsumer(deps.kafka, {
        groupId: settings.groupId,
        topic,
        fromBeginning: true,
        maxBatchSize: settings.maxBatchSize,
        sessionTimeoutMs: settings.sessionTimeoutMs,
        fetchMaxWaitMs: settings.fetchMaxWaitMs,
        commitIntervalMs: settings.commitIntervalMs,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
        metrics: deps.metrics,
        logger,
        handleBatch: async (messages, ctx) => {
          const started = performance.now();
          // checked here too, not only at POST /events: an event dated 2099 would move the watermark
          // refreshPopularity counts back from. Poison: the batch is split until it alone is dead-lettered.
          const now = Date.now();
          for (const { value } of messages) {
            const future = futureEventTime('ts', value.ts, now, settings.maxFutureSkewMs);
            if (future !== undefined) throw new PoisonError(`event ${future.field} ${future.message}`);
          }
          const byPartition = new Map<number, IncomingMessage<UserEvent>[]>();
          for (const m of messages) {
            const list = byPartition.get(m.partition) ?? [];
            list.push(m);
            byPartition.set(m.partition, list);
          }
          for (const [partition, list] of byPartition) await traced(partition, list);
          // a short run: the next fetch waits out the interval, so it brings a longer run (below)
          const rest = settings.minRunIntervalMs - (performance.now() - started);
          if (messages.length < settings.maxBatchSize && rest >= 1 && !ctx.signal.aborted)
            await delay(rest, undefined, { signal: ctx.signal }).catch(() => undefined);
        },
      });
      consumer.done.then(resolveDone, rejectDone);
      snapshotTimer = setInterval(() => {
        snapshot().catch((error: unknown) =>
          logger.warn('feature snapshot failed', { error: describeError(error) }),
        );
      }, settings.snapshotIntervalMs);
      snapshotTimer.unref();
      // popularity(window) is derived from the buckets: recomputed at most once per interval
      refreshTimer = setInterval(() => {
        refresh().catch((error: unknown) =>
          logger.warn('popularity refresh failed', { error: describeError(error) }),
        );
      }, settings.popularityRefreshMs);
      refreshTimer.unref();
    },
    async stop() {
      if (snapshotTimer) clearInterval(snapshotTimer);
      if (refreshTimer) clearInterval(refreshTimer);
      await consumer?.stop();
      if (consumer === undefined) resolveDone();
      // the last refresh and snapshot: derived data, cheap and idempotent
      await refresh().catch(() => undefined);
      await snapshot().catch(() => undefined);
    },
  };
}
