/**
 * What every detector test file needs: its own topics, Redis key prefix and database, the real
 * services behind them, the detector service started in-process and a read_committed view of its
 * outputs.
 */
import {
  type KafkaWithTopics,
  openKafkaWithTopics,
  type RunningConsumer,
  runConsumer,
} from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { silentLogger, startService } from '@streamkit/runtime';
import type { FraudAlert, Payment, PaymentDecision, TopicDef } from '@streamkit/schemas';
import {
  type Infrastructure,
  type KafkaTestAdmin,
  openTestStores,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@streamkit/testkit';
import { useFileEnv } from '@streamkit/testkit/file-env';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { expect, inject } from 'vitest';
import { type FraudRedisKeys, fraudRedisKeys } from '../src/common/redis-keys.ts';
import { type FraudTopics, fraudTopicNames, fraudTopicSpecs, fraudTopics } from '../src/common/topics.ts';
import { migrate } from '../src/db/migrate.ts';
import { type CardStateStore, createCardStateStore } from '../src/detector/card-state-store.ts';
import type { Detector } from '../src/detector/processor.ts';
import { detectorService } from '../src/detector/service.ts';
import { serviceEnv, type TestIsolation } from './support/service-env.ts';

export const PARTITIONS = 3;

export interface DetectorTestEnv extends TestIsolation, KafkaWithTopics {
  readonly infra: Infrastructure;
  readonly name: string;
  readonly topics: FraudTopics;
  readonly keyPrefix: string;
  readonly keys: FraudRedisKeys;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  /**
   * The detector service of this file (its own group and transactional id); `settings` are its
   * environment variables (DETECTOR_RULES_RELOAD_INTERVAL_MS…). Stopped by close().
   */
  startDetector(settings?: Record<string, string>): Promise<{ detector: Detector; registry: Registry }>;
  /** Everything committed on `topic` from the beginning, as it arrives (read_committed). */
  collect<T>(topic: TopicDef<T>): Promise<Collected<T>>;
  close(): Promise<void>;
}

export interface Collected<T> {
  readonly values: T[];
  stop(): Promise<void>;
}

/** The detector environment of a test file, open for all its tests: `const env = useDetectorEnv('det-x')`. */
export function useDetectorEnv(label: string): () => DetectorTestEnv {
  return useFileEnv(() => createDetectorTestEnv(inject('infrastructure'), label));
}

/** Every decision committed so far, as a read_committed reader sees them. */
export async function committedDecisions(e: DetectorTestEnv): Promise<PaymentDecision[]> {
  return (await e.admin.readTopic(e.topics.decisions.name)).map(
    (r) => JSON.parse(r.value ?? '') as PaymentDecision,
  );
}

/** `perCard` payments of each of `cards` cards, card after card, round after round. */
export function interleavedPayments(
  cards: number,
  perCard: number,
  make: (card: number, round: number) => Payment,
): Payment[] {
  const all: Payment[] = [];
  for (let i = 0; i < perCard; i++) {
    for (let c = 0; c < cards; c++) all.push(make(c, i));
  }
  return all;
}

/** How many distinct payments the collected decisions cover. */
export function decidedCount(decisions: Collected<PaymentDecision>): number {
  return new Set(decisions.values.map((d) => d.paymentId)).size;
}

/** Asserts a read_committed reader sees exactly one decision per payment, `payments` in all; returns them. */
export async function expectOneDecisionPerPayment(
  e: DetectorTestEnv,
  payments: number,
): Promise<PaymentDecision[]> {
  const committed = await committedDecisions(e);
  expect(committed).toHaveLength(payments);
  expect(new Set(committed.map((d) => d.paymentId)).size).toBe(payments);
  return committed;
}

/** The detector's card-state store on this file's keys, with the service's TTLs in the tests. */
export function testCardStateStore(e: DetectorTestEnv): CardStateStore {
  return createCardStateStore({
    redis: e.redis,
    keys: e.keys,
    cardStateTtlSeconds: 7200,
    decisionTtlSeconds: 3600,
  });
}

export interface PacedProduction {
  readonly chunk: number;
  /** How many payments have been decided so far. */
  readonly decided: () => number;
  /** Whether chunk `k` may go out yet, besides the pacing (a gate the test opens). Default: yes. */
  readonly gate?: (k: number) => boolean;
  /** While true, chunks go out without waiting for decisions (no detector is working). */
  readonly unpaced?: () => boolean;
  readonly timeoutMs: number;
}

/**
 * Produces `payments` chunk by chunk while the detectors keep up: a chunk goes out once at most three
 * chunks before it are undecided, so the detectors work on a stream that keeps flowing.
 */
export async function producePaced(
  e: DetectorTestEnv,
  payments: readonly Payment[],
  p: PacedProduction,
): Promise<void> {
  for (let k = 0; k * p.chunk < payments.length; k++) {
    await waitFor(
      () => p.unpaced?.() === true || ((p.gate?.(k) ?? true) && p.decided() >= (k - 3) * p.chunk),
      { timeoutMs: p.timeoutMs, intervalMs: 20, message: `detectors keeping up before chunk ${k}` },
    );
    await e.producer.send(
      e.topics.payments,
      payments.slice(k * p.chunk, (k + 1) * p.chunk).map((value) => ({ value })),
    );
  }
}

export async function createDetectorTestEnv(infra: Infrastructure, label: string): Promise<DetectorTestEnv> {
  const name = uniqueName(label);
  const topics = fraudTopics(`${name}.`);
  const keyPrefix = `${name}:`;
  const keys = fraudRedisKeys(keyPrefix);
  const stores = await openTestStores(infra, {
    databasePrefix: 'fraud',
    async openPool(url) {
      const pool = createPool(url, { max: 6 });
      await migrate(pool);
      return pool;
    },
    keyPrefix,
    topics: fraudTopicNames(topics),
  });
  const { db, pool, redis, admin } = stores;
  const { kafka, producer } = await openKafkaWithTopics({
    brokers: infra.kafkaBrokers,
    clientId: name,
    logger: silentLogger,
    topics: fraudTopicSpecs(topics, PARTITIONS),
    producer: { lingerMs: 2 },
  });
  // a new topic's leader is in the metadata before that broker serves the partition (KRaft applies
  // the two apart; seconds under load): wait until each partition answers ListOffsets, so the
  // test's first produce or read does not meet NOT_LEADER_OR_FOLLOWER
  await waitFor(
    async () => {
      for (const topic of fraudTopicNames(topics)) await admin.endOffsets(topic);
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 200, message: `partitions of ${name} served` },
  );
  const closers: (() => Promise<void>)[] = [];

  const isolation: TestIsolation = { infra, topicPrefix: `${name}.`, keyPrefix, databaseUrl: db.url };

  return {
    ...isolation,
    name,
    topics,
    keys,
    db,
    pool,
    redis,
    kafka,
    admin,
    producer,
    async startDetector(settings = {}) {
      const service = await startService(detectorService, {
        env: serviceEnv(isolation, {
          DETECTOR_GROUP_ID: `${name}-detector`,
          DETECTOR_TRANSACTIONAL_ID_PREFIX: `${name}-detector`,
          DETECTOR_INSTANCE_ID: '0',
          PAYMENTS_PARTITIONS: String(PARTITIONS),
          DETECTOR_MAX_BATCH_SIZE: '100',
          DETECTOR_SESSION_TIMEOUT_MS: '10000',
          DETECTOR_ALLOWED_LATENESS_MS: '60000',
          DETECTOR_CARD_STATE_TTL_SECONDS: String(3 * 3600),
          DETECTOR_DECISION_TTL_SECONDS: '3600',
          DETECTOR_RULES_RELOAD_INTERVAL_MS: '60000',
          DETECTOR_MODEL_POLL_INTERVAL_MS: '60000',
          ...settings,
        }),
      });
      closers.push(() => service.stop());
      if (service.parts === undefined) throw new Error('the detector service returned no parts');
      return service.parts;
    },
    async collect<T>(topic: TopicDef<T>) {
      const values: T[] = [];
      const consumer: RunningConsumer = await runConsumer(kafka, {
        groupId: uniqueName('reader'),
        topic,
        fromBeginning: true,
        isolation: 'read_committed',
        fetchMaxWaitMs: 100,
        logger: silentLogger,
        handleBatch: async (messages) => {
          values.push(...messages.map((m) => m.value));
        },
      });
      closers.push(() => consumer.stop());
      return { values, stop: () => consumer.stop() };
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await producer.disconnect();
      await stores.close();
    },
  };
}

/** A harmless grocery payment; override what the test is about. */
export function payment(overrides: Partial<Payment> & Pick<Payment, 'paymentId' | 'cardId'>): Payment {
  return {
    accountId: `acct-${overrides.cardId}`,
    merchantId: 'm-grocer-1',
    mcc: '5411',
    amount: 2_450,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(BASE_TS).toISOString(),
    ...overrides,
  };
}

/**
 * Card testing on one card: five 1.00 probes at five merchants (probe `i` at `probeTs(i)`), then a
 * 950.00 electronics purchase at `cashOutTs` — the cash-out the default rules decline for the pattern.
 */
export function cardTesting(
  idPrefix: string,
  cardId: string,
  times: { readonly probeTs: (i: number) => string; readonly cashOutTs: string },
): { probes: Payment[]; cashOut: Payment } {
  const probes = Array.from({ length: 5 }, (_, i) =>
    payment({
      paymentId: `${idPrefix}-probe-${i}`,
      cardId,
      merchantId: `m-probe-${i}`,
      mcc: '5999',
      amount: 100,
      ts: times.probeTs(i),
    }),
  );
  const cashOut = payment({
    paymentId: `${idPrefix}-cash-out`,
    cardId,
    merchantId: 'm-electronics',
    mcc: '5732',
    amount: 95_000,
    ts: times.cashOutTs,
  });
  return { probes, cashOut };
}

/** Event times of the tests: a fixed day, so hour-of-day features are deterministic. */
export const BASE_TS = Date.UTC(2026, 0, 15, 12, 0, 0);

export function at(offsetMs: number): string {
  return new Date(BASE_TS + offsetMs).toISOString();
}

export type { FraudAlert, PaymentDecision };
