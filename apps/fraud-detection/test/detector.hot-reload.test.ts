import type { Payment } from '@streamkit/schemas';
import type { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../src/detector/processor.ts';
import type { StoredModel } from '../src/domain/contracts.ts';
import { FEATURE_NAMES } from '../src/domain/features.ts';
import { defaultRules } from '../src/domain/rules/defaults.ts';
import { sortRules } from '../src/domain/rules/parse.ts';
import { at, type Collected, type PaymentDecision, payment, useDetectorEnv } from './detector.harness.ts';

const env = useDetectorEnv('det-reload');
let detector: Detector;
let registry: Registry;
let decisions: Collected<PaymentDecision>;
let seq = 0;

beforeAll(async () => {
  // periodic reloads far beyond the test's deadlines: a change can only arrive through NOTIFY
  ({ detector, registry } = await env().startDetector({
    DETECTOR_RULES_RELOAD_INTERVAL_MS: '600000',
    DETECTOR_MODEL_POLL_INTERVAL_MS: '600000',
  }));
  decisions = await env().collect(env().topics.decisions);
});

/** Sends one payment (a fresh card each time) and returns its decision. */
async function decide(overrides: Partial<Payment> = {}): Promise<PaymentDecision> {
  seq++;
  const p = payment({ paymentId: `hr-${seq}`, cardId: `hr-card-${seq}`, ts: at(seq * 1000), ...overrides });
  await env().producer.send(env().topics.payments, [{ value: p }]);
  await expect
    .poll(() => decisions.values.find((d) => d.paymentId === p.paymentId), { timeout: 30_000 })
    .toBeDefined();
  return decisions.values.find((d) => d.paymentId === p.paymentId) as PaymentDecision;
}

const ruleIds = () => detector.rules.current().map((r) => r.id);

function model(version: string, bias: number, featureNames: readonly string[] = FEATURE_NAMES): StoredModel {
  const zeros = featureNames.map(() => 0);
  return {
    version,
    kind: 'logistic_regression',
    featureNames,
    means: zeros,
    stds: featureNames.map(() => 1),
    weights: zeros,
    bias,
    metrics: { precision: 1, recall: 1, rocAuc: 1, threshold: 0.5, trainSize: 1, testSize: 1 },
    createdAt: new Date().toISOString(),
  };
}

async function publish(m: StoredModel, secondsFromNow: number): Promise<void> {
  await env().pool.query(
    `insert into fraud_models (version, model, created_at) values ($1, $2, now() + make_interval(secs => $3))`,
    [m.version, JSON.stringify(m), secondsFromNow],
  );
}

async function invalidModelLoads(): Promise<number> {
  const text = await registry.getSingleMetricAsString('fraud_detector_model_reloads_total');
  return Number(/result="invalid"[^\n]* (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe('detector hot reload', () => {
  it('starts with the seeded rules of 001_rules.sql, which equal the domain defaultRules', () => {
    expect(detector.rules.current()).toEqual(sortRules(defaultRules));
    expect(detector.rules.rejected()).toEqual([]);
  });

  it('applies a rule added, then disabled, in Postgres to the next payments without a restart', async () => {
    expect(await decide({ merchantId: 'm-blocked' })).toMatchObject({ decision: 'approve', ruleIds: [] });

    await env().pool.query(
      `insert into fraud_rules (id, description, condition, score, action, priority)
       values ('R-BLOCKED-MERCHANT', 'merchant under investigation', $1, 0.9, 'decline', 5)`,
      [JSON.stringify({ field: 'merchantId', op: '==', value: 'm-blocked' })],
    );
    await expect.poll(ruleIds, { timeout: 10_000 }).toContain('R-BLOCKED-MERCHANT');
    const blocked = await decide({ merchantId: 'm-blocked' });
    expect(blocked).toMatchObject({ decision: 'decline', ruleIds: ['R-BLOCKED-MERCHANT'] });
    expect(blocked.reasons).toContain('rule R-BLOCKED-MERCHANT: merchant under investigation');

    await env().pool.query(`update fraud_rules set enabled = false where id = 'R-BLOCKED-MERCHANT'`);
    await expect.poll(ruleIds, { timeout: 10_000 }).not.toContain('R-BLOCKED-MERCHANT');
    expect(await decide({ merchantId: 'm-blocked' })).toMatchObject({ decision: 'approve', ruleIds: [] });
  });

  it('skips and counts an invalid stored rule while the valid ones keep working', async () => {
    await env().pool.query(
      `insert into fraud_rules (id, description, condition, score, action)
       values ('R-BROKEN', 'compares a feature that does not exist', $1, 0.5, 'review')`,
      [JSON.stringify({ feature: 'no_such_feature', op: '>', value: 1 })],
    );
    await expect.poll(() => detector.rules.rejected(), { timeout: 10_000 }).toEqual(['R-BROKEN']);
    expect(ruleIds()).toContain('R-EMBARGOED-COUNTRY');
    expect(await registry.getSingleMetricAsString('fraud_detector_rules_invalid')).toMatch(
      /fraud_detector_rules_invalid\{[^}]*\} 1$/m,
    );
    expect(await decide({ country: 'IR' })).toMatchObject({
      decision: 'review',
      ruleIds: ['R-EMBARGOED-COUNTRY'],
    });
    await env().pool.query(`delete from fraud_rules where id = 'R-BROKEN'`);
    await expect.poll(() => detector.rules.rejected(), { timeout: 10_000 }).toEqual([]);
  });

  it('picks up each newly published model version without a restart, and skips an unusable one', async () => {
    expect(await decide()).toMatchObject({ modelVersion: 'none', decision: 'approve' });

    // constant models: bias 5 → p ≈ 0.99 (decline), bias −5 → p ≈ 0.007 (approve)
    await publish(model('lr-test-1', 5), 0);
    await expect.poll(() => detector.model.current()?.version, { timeout: 10_000 }).toBe('lr-test-1');
    const high = await decide();
    expect(high).toMatchObject({ modelVersion: 'lr-test-1', decision: 'decline' });
    expect(high.score).toBeGreaterThan(0.99);
    expect(high.reasons).toContain('model score 0.99');

    await publish(model('lr-test-broken', 0, [...FEATURE_NAMES, 'feature_from_the_future']), 1);
    await publish(model('lr-test-2', -5), 2);
    await expect.poll(() => detector.model.current()?.version, { timeout: 10_000 }).toBe('lr-test-2');
    expect(await decide()).toMatchObject({ modelVersion: 'lr-test-2', decision: 'approve' });
    expect(await registry.getSingleMetricAsString('fraud_detector_model_active')).toMatch(
      /fraud_detector_model_active\{[^}]*version="lr-test-2"[^}]*\} 1/,
    );

    // the newest is unusable: it is skipped and the model in use stays
    const invalidBefore = await invalidModelLoads();
    await publish(model('lr-test-3-broken', 0, ['feature_from_the_future']), 3);
    await expect.poll(invalidModelLoads, { timeout: 10_000 }).toBeGreaterThan(invalidBefore);
    expect(detector.model.current()?.version).toBe('lr-test-2');
    expect(await decide()).toMatchObject({ modelVersion: 'lr-test-2' });
  });
});
