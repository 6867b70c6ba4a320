import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import type { ServiceProcess } from '@streamkit/testkit';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, it } from 'vitest';
import { PartitionFencedError } from '../src/detector/errors.ts';
import { decodeCardState } from '../src/domain/card-state-codec.ts';
import { createOfflineDetector } from '../src/domain/offline-detector.ts';
import {
  at,
  type DetectorTestEnv,
  decidedCount,
  expectOneDecisionPerPayment,
  interleavedPayments,
  PARTITIONS,
  payment,
  producePaced,
  testCardStateStore,
  useDetectorEnv,
} from './detector.harness.ts';
import { serviceEnv } from './support/service-env.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const fileEnv = useDetectorEnv('det-rebal');
const processes = useServiceProcesses();

/** The sum of the partitions' fencing epochs: it grows by one each time a detector claims one. */
async function claims(e: DetectorTestEnv): Promise<number> {
  const values = await e.redis.mget(
    ...Array.from({ length: PARTITIONS }, (_, p) => e.keys.partitionEpoch(p)),
  );
  return values.reduce((sum, v) => sum + Number(v ?? 0), 0);
}

describe('detector rebalance', () => {
  it('a second detector joins and leaves mid-stream, the first is kill -9d in the rebalance: one decision per payment, states equal the reference', async () => {
    const cards = 24;
    const perCard = 80;
    const env = fileEnv();
    const all = interleavedPayments(cards, perCard, (c, i) =>
      payment({
        paymentId: `rb-${c}-${i}`,
        cardId: `rb-card-${c}`,
        merchantId: `m-${(c * 5 + i) % 11}`,
        amount: 700 + ((c * 113 + i * 751) % 30_000),
        ts: at(i * 45_000 + c),
      }),
    );
    const decisions = await env.collect(env.topics.decisions);
    const decided = () => decidedCount(decisions);
    const detectorEnv = (instance: string) =>
      processEnvironment(
        serviceEnv(env, {
          DETECTOR_GROUP_ID: `${env.name}-group`,
          DETECTOR_TRANSACTIONAL_ID_PREFIX: `${env.name}-tx`,
          DETECTOR_INSTANCE_ID: instance,
          PAYMENTS_PARTITIONS: String(PARTITIONS),
          DETECTOR_MAX_BATCH_SIZE: '40',
          DETECTOR_SESSION_TIMEOUT_MS: '6000',
          LOG_LEVEL: 'info',
        }),
      );
    const start = (instance: string) =>
      processes.start('src/detector/main.ts', { cwd: appDir, env: detectorEnv(instance) });

    // payments keep flowing, at most 3 chunks ahead of the decisions (freely while nobody works);
    // the later ones only once the detector that must find records on its partitions is running
    const chunk = 60;
    const gates = { b: false, a2: false };
    const running = (p: ServiceProcess) => p.output().includes('fraud-detector running');
    const producing = producePaced(env, all, {
      chunk,
      decided,
      gate: (k) => (k < 8 || gates.b) && (k < 20 || gates.a2),
      timeoutMs: 120_000,
    });

    const a = start('a');
    await expect.poll(decided, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(300);
    const claimedByA = await claims(env);
    expect(claimedByA).toBeGreaterThanOrEqual(PARTITIONS);

    // b joins; once it has claimed a partition the group is rebalancing around it: a dies then
    const b = start('b');
    await expect.poll(() => running(b), { timeout: 60_000, interval: 20 }).toBe(true);
    gates.b = true;
    await expect
      .poll(() => claims(env), {
        timeout: 60_000,
        interval: 10,
        message: `b claims a partition: ${b.output()}`,
      })
      .toBeGreaterThan(claimedByA);
    const killed = await a.stop('SIGKILL');
    expect(killed.signal, a.output()).toBe('SIGKILL');
    expect(decided()).toBeLessThan(all.length);

    // b takes a's partitions over once a's session expired; then a comes back (same transactional
    // id: it fences its own predecessor) and b leaves
    await expect.poll(decided, { timeout: 90_000, interval: 20 }).toBe(20 * chunk);
    const a2 = start('a');
    const beforeA2 = await claims(env);
    await expect.poll(() => running(a2), { timeout: 60_000, interval: 20 }).toBe(true);
    gates.a2 = true;
    await expect.poll(() => claims(env), { timeout: 60_000, interval: 20 }).toBeGreaterThan(beforeA2);
    const left = await b.stop('SIGTERM');
    expect(left.code, b.output()).toBe(0);

    await producing;
    await expect.poll(decided, { timeout: 90_000, interval: 50 }).toBe(all.length);
    const stopped = await a2.stop('SIGTERM');
    expect(stopped.code, a2.output()).toBe(0);

    // exactly once for read_committed readers
    await expectOneDecisionPerPayment(env, all.length);

    // every card's state equals the one a single offline pass over its payments computes
    const reference = createOfflineDetector({ rules: [], model: null, allowedLatenessMs: 300_000 });
    for (const p of all) reference.process(p);
    const stored = await env.redis.mget(
      ...Array.from({ length: cards }, (_, c) => env.keys.card(`rb-card-${c}`)),
    );
    stored.forEach((raw, c) => {
      expect(raw, `state of rb-card-${c}`).not.toBeNull();
      expect(decodeCardState(JSON.parse(raw as string)), `state of rb-card-${c}`).toEqual(
        reference.cardState(`rb-card-${c}`),
      );
    });
  }, 240_000);

  it('refuses the state write of a detector whose claim on the partition was superseded (a zombie)', async () => {
    const env = fileEnv();
    const store = testCardStateStore(env);
    const zombie = await store.claim(2);
    const owner = await store.claim(2);
    expect(owner.epoch).toBe(zombie.epoch + 1);
    const reference = createOfflineDetector({ rules: [], model: null });
    reference.process(payment({ paymentId: 'z-1', cardId: 'z-card', ts: at(0) }));
    const state = new Map([['z-card', reference.cardState('z-card')]]);

    await expect(store.save(zombie, state, [])).rejects.toBeInstanceOf(PartitionFencedError);
    expect(await env.redis.get(env.keys.card('z-card'))).toBeNull();
    await store.save(owner, state, []);
    const written = await env.redis.get(env.keys.card('z-card'));
    expect(decodeCardState(JSON.parse(written ?? 'null'))).toEqual(reference.cardState('z-card'));
  });
});
