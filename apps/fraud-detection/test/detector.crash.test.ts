import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import type { IncomingMessage } from '@streamkit/kafka';
import type { Payment } from '@streamkit/schemas';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, inject, it } from 'vitest';
import { startBatch } from '../src/detector/batch-work.ts';
import { createDecider } from '../src/detector/decider.ts';
import type { CardState } from '../src/domain/card-state.ts';
import { decodeCardState } from '../src/domain/card-state-codec.ts';
import { defaultRules } from '../src/domain/rules/defaults.ts';
import { ONE_HOUR_MS, velocity } from '../src/domain/velocity.ts';
import {
  at,
  BASE_TS,
  committedDecisions,
  createDetectorTestEnv,
  type DetectorTestEnv,
  decidedCount,
  expectOneDecisionPerPayment,
  interleavedPayments,
  payment,
  producePaced,
  testCardStateStore,
  useDetectorEnv,
} from './detector.harness.ts';
import { serviceEnv } from './support/service-env.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const fileEnv = useDetectorEnv('det-crash');
const processes = useServiceProcesses();

async function readState(e: DetectorTestEnv, cardId: string): Promise<CardState> {
  const raw = await e.redis.get(e.keys.card(cardId));
  expect(raw, `state of ${cardId}`).not.toBeNull();
  const state = decodeCardState(JSON.parse(raw as string));
  expect(state, `state of ${cardId} decodes`).not.toBeNull();
  return state as CardState;
}

describe('detector crash recovery', () => {
  it('kill -9 mid-stream, restart: one committed decision per payment, velocity state equals a reference count', async () => {
    const cards = 20;
    const perCard = 100;
    const env = fileEnv();
    // card c's i-th payment, 40 s apart: each card's history spans more than the 1 h window
    const all = interleavedPayments(cards, perCard, (c, i) =>
      payment({
        paymentId: `kp-${c}-${i}`,
        cardId: `kp-card-${c}`,
        merchantId: `m-${(c * 7 + i) % 13}`,
        amount: 500 + ((c * 131 + i * 977) % 20_000),
        ts: at(i * 40_000 + c),
      }),
    );
    const decisions = await env.collect(env.topics.decisions);
    const decided = () => decidedCount(decisions);
    const childEnv = processEnvironment(
      serviceEnv(env, {
        DETECTOR_GROUP_ID: `${env.name}-child`,
        DETECTOR_TRANSACTIONAL_ID_PREFIX: `${env.name}-child`,
        DETECTOR_INSTANCE_ID: '0',
        // small transactions: a kill lands between many commits, often inside one
        DETECTOR_MAX_BATCH_SIZE: '40',
        DETECTOR_SESSION_TIMEOUT_MS: '6000',
      }),
    );
    const startChild = () => processes.start('src/detector/main.ts', { cwd: appDir, env: childEnv });

    // payments keep flowing: each chunk goes out once the detector is at most 3 chunks behind,
    // and freely while it is down
    const chunk = 100;
    let down = false;
    const producing = producePaced(env, all, { chunk, decided, unpaced: () => down, timeoutMs: 60_000 });

    const first = startChild();
    await expect.poll(decided, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(600);
    down = true;
    const killed = await first.stop('SIGKILL');
    expect(killed.signal, first.output()).toBe('SIGKILL');
    const beforeRestart = decided();
    expect(beforeRestart).toBeLessThan(all.length); // really killed mid-stream

    down = false;
    const second = startChild();
    await producing;
    await expect.poll(decided, { timeout: 90_000, interval: 50 }).toBe(all.length);
    const stopped = await second.stop('SIGTERM');
    expect(stopped.code, second.output()).toBe(0);

    // exactly once: a read_committed reader sees one decision per payment, none missing
    const committed = await expectOneDecisionPerPayment(env, all.length);
    // and Kafka agrees with the decisions the gateway reads from Redis (a replay re-emitted them)
    const sample = committed.filter((_, i) => i % 50 === 0);
    const stored = await env.redis.mget(...sample.map((d) => env.keys.decision(d.paymentId)));
    expect(stored.map((s) => JSON.parse(s ?? 'null'))).toEqual(sample);

    // velocity counters: each card's state counts every payment once
    for (let c = 0; c < cards; c++) {
      const mine = all.filter((p) => p.cardId === `kp-card-${c}`);
      const state = await readState(env, `kp-card-${c}`);
      const lastTs = Math.max(...mine.map((p) => Date.parse(p.ts)));
      const inLastHour = mine.filter((p) => Date.parse(p.ts) > lastTs - ONE_HOUR_MS);
      expect(state.paymentCount).toBe(perCard);
      expect(state.amountStats.count).toBe(perCard);
      const hour = velocity(state, lastTs, ONE_HOUR_MS);
      expect(hour.count).toBe(inLastHour.length);
      expect(hour.sum).toBeCloseTo(
        inLastHour.reduce((s, p) => s + p.amount / 100, 0),
        6,
      );
    }
  }, 180_000);

  it('re-emits, never re-applies, a batch whose Redis write landed before the Kafka commit', async () => {
    const e = await createDetectorTestEnv(infra, 'det-replay');
    try {
      const payments = Array.from({ length: 10 }, (_, i) =>
        payment({ paymentId: `rp-${i}`, cardId: 'rp-card', ts: at(i * 30_000) }),
      );
      await e.producer.send(
        e.topics.payments,
        payments.map((value) => ({ value })),
      );
      // the crashed run: it decided the first 6 records and wrote Redis, then died before committing
      const records = (await e.admin.readTopic(e.topics.payments.name)).slice(0, 6);
      const crashedAt = BASE_TS + 86_400_000;
      const store = testCardStateStore(e);
      const decide = createDecider({
        thresholds: { review: 0.5, decline: 0.9 },
        allowedLatenessMs: 300_000,
        now: () => crashedAt,
      }).forBatch(defaultRules, null);
      const snapshot = await store.load(
        ['rp-card'],
        payments.map((p) => p.paymentId),
      );
      const work = startBatch(snapshot);
      for (const r of records) {
        const message: IncomingMessage<Payment> = {
          topic: e.topics.payments.name,
          partition: r.partition,
          offset: r.offset,
          key: r.key,
          value: JSON.parse(r.value ?? '') as Payment,
          headers: r.headers,
          timestamp: 0,
        };
        expect(work.next(message, decide).kind).toBe('decided');
      }
      // the crashed run had claimed the partition; the restarted detector claims it again
      const fence = await store.claim(records[0]?.partition ?? 0);
      await store.save(fence, work.changedStates(), work.newDecisions());
      expect((await readState(e, 'rp-card')).paymentCount).toBe(6);

      // the same payment submitted again later (another record, same paymentId): decided once only
      await e.producer.send(e.topics.payments, [{ value: payments[0] as Payment }]);
      const { registry } = await e.startDetector();
      const decisions = await e.collect(e.topics.decisions);
      await expect.poll(() => decisions.values.length, { timeout: 60_000 }).toBe(10);
      // the resubmission emits no decision: wait until the detector committed past it
      const ends = await e.admin.endOffsets(e.topics.payments.name);
      const committedToEnd = async () => {
        const offsets = await e.admin.committedOffsets(`${e.name}-detector`, e.topics.payments.name);
        return [...ends].every(([partition, end]) => end === 0 || offsets.get(partition) === end);
      };
      await expect.poll(committedToEnd, { timeout: 60_000 }).toBe(true);
      const byId = new Map(decisions.values.map((d) => [d.paymentId, d]));
      for (const p of payments.slice(0, 6)) {
        expect(byId.get(p.paymentId)?.decidedAt).toBe(new Date(crashedAt).toISOString()); // the stored decision
      }
      for (const p of payments.slice(6)) {
        expect(byId.get(p.paymentId)?.decidedAt).not.toBe(new Date(crashedAt).toISOString());
      }
      expect((await readState(e, 'rp-card')).paymentCount).toBe(10);
      const repeated = await registry.getSingleMetricAsString('fraud_detector_repeated_payments_total');
      const count = (kind: string) =>
        Number(new RegExp(`kind="${kind}"[^\\n]* (\\d+)$`, 'm').exec(repeated)?.[1]);
      // one attempt: 6 replays, 1 duplicate. A transaction retried under load (aborted, the run
      // processed again) counts its replays and the duplicate again; the decisions and the state
      // above are what must not change.
      expect(count('duplicate')).toBeGreaterThanOrEqual(1);
      expect(count('replay')).toBeGreaterThanOrEqual(6);
      if (count('duplicate') === 1) expect(count('replay')).toBe(6);
      const committed = await committedDecisions(e);
      expect(committed.map((d) => d.paymentId).sort()).toEqual(payments.map((p) => p.paymentId).sort());
    } finally {
      await e.close();
    }
  });
});
