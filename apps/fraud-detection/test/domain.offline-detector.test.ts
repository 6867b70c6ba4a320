// The offline detector over a hand-made stream: the same per-payment step the detector service runs.
import { describe, expect, it } from 'vitest';
import { emptyCardState } from '../src/domain/card-state.ts';
import { decodeCardState, encodeCardState, restoreCardState } from '../src/domain/card-state-codec.ts';
import { FEATURE_NAMES } from '../src/domain/features.ts';
import { createOfflineDetector } from '../src/domain/offline-detector.ts';
import { defaultRules } from '../src/domain/rules/defaults.ts';
import { HOUR, historyPayments, MIN, pay } from './domain.fixtures.ts';

function run(payments: ReturnType<typeof pay>[]) {
  const detector = createOfflineDetector({ rules: defaultRules, model: null });
  return { detector, decisions: payments.map((p) => detector.process(p)) };
}

describe('createOfflineDetector with the default rules', () => {
  it('approves a normal shopper: everyday payments, a big purchase, a trip by plane', () => {
    const day = [
      pay(0),
      pay(2 * HOUR, { merchantId: 'm-bakery', amount: 450 }),
      pay(5 * HOUR, { merchantId: 'm-electronics', mcc: '5732', amount: 89_900 }),
      pay(9 * HOUR, { merchantId: 'm-grocery' }),
      pay(20 * HOUR, { country: 'ES', merchantId: 'm-hotel', mcc: '7011', amount: 14_000 }),
      pay(40 * HOUR, { country: 'US', currency: 'USD', merchantId: 'm-diner', mcc: '5812', amount: 3_500 }),
    ];
    const { decisions } = run([...historyPayments(), ...day]);
    expect(decisions.map((d) => d.decision).filter((d) => d !== 'approve')).toEqual([]);
  });

  it('catches each injected pattern with readable reasons and the rule ids', () => {
    const history = historyPayments();
    const probes = [0, 1, 2, 3].map((i) =>
      pay(HOUR + i * 40_000, { amount: 100, merchantId: 'm-web', deviceId: 'dev-x' }),
    );
    const cashOut = pay(HOUR + 4 * MIN, { amount: 95_000, merchantId: 'm-jeweller', mcc: '5944' });
    const home = pay(3 * HOUR);
    const abroad = pay(3 * HOUR + 30 * MIN, {
      country: 'BR',
      currency: 'BRL',
      merchantId: 'm-rio',
      amount: 150_000,
    });
    const burst = [0, 1, 2, 3, 4].map((i) =>
      pay(6 * HOUR + i * 20_000, { merchantId: `m-${i}`, amount: 6_000 }),
    );
    const casino = pay(9 * HOUR, { mcc: '7995', merchantId: 'm-casino', amount: 40_000, deviceId: 'dev-x2' });
    const { decisions } = run([...history, ...probes, cashOut, home, abroad, ...burst, casino]);
    const of = (id: string) => decisions.find((d) => d.paymentId === id);

    expect(of(cashOut.paymentId)?.decision).toBe('decline');
    // rules are reported by priority: card testing first (the 5 payments in 4 min are also a burst)
    expect(of(cashOut.paymentId)?.ruleIds[0]).toBe('R-CARD-TESTING');
    expect(of(cashOut.paymentId)?.reasons[0]).toBe(
      'card testing: 4 payments ≤ 2.00 EUR in 4 min, then 950.00 EUR',
    );
    expect(of(abroad.paymentId)?.decision).toBe('review');
    expect(of(abroad.paymentId)?.ruleIds).toContain('R-IMPOSSIBLE-TRAVEL');
    expect(of(abroad.paymentId)?.reasons[0]).toMatch(/^impossible travel: DE → BR/);
    expect(of(burst[4]?.paymentId as string)).toMatchObject({
      decision: 'review',
      ruleIds: ['R-VELOCITY-BURST'],
    });
    expect(of(casino.paymentId)).toMatchObject({
      decision: 'review',
      ruleIds: ['R-HIGH-RISK-MCC-FIRST-USE'],
    });
    expect(of(home.paymentId)?.decision).toBe('approve');
    expect(of(probes[0]?.paymentId as string)?.decision).toBe('approve');
  });

  it('returns features in FEATURE_NAMES order and decisions stamped with the payment time by default', () => {
    const p = pay(0);
    const d = createOfflineDetector({ rules: [], model: null }).process(p);
    expect(d.features.names).toEqual(FEATURE_NAMES);
    expect(d.decidedAt).toBe(p.ts);
    expect(d).toMatchObject({ modelVersion: 'none', decision: 'approve', late: false, duplicate: false });
  });

  it('scores with the model and keeps one state per card, ignoring replays', () => {
    const detector = createOfflineDetector({
      rules: [],
      model: { version: 'v1', score: (f) => ((f.values[0] as number) > 6 ? 0.95 : 0.1) },
    });
    expect(detector.process(pay(0, { amount: 100_000 }))).toMatchObject({
      decision: 'decline',
      modelVersion: 'v1',
    });
    const p = pay(MIN, { cardId: 'card-2' });
    detector.process(p);
    expect(detector.process(p).duplicate).toBe(true);
    expect(detector.cardCount).toBe(2);
    expect(detector.cardState('card-2').paymentCount).toBe(1);
  });

  it('rejects invalid pattern settings at construction', () => {
    expect(() =>
      createOfflineDetector({
        rules: [],
        model: null,
        patternSettings: {
          cardTesting: { windowMs: 0, tinyAmountEur: 2, minTinyPayments: 3, largeAmountEur: 100 },
        } as never,
      }),
    ).toThrow();
  });
});

describe('restoreCardState', () => {
  it('reads back a stored state and fills fields an older version did not write', () => {
    const detector = createOfflineDetector({ rules: [], model: null });
    detector.process(pay(0, { deviceId: 'dev-1' }));
    const stored = JSON.parse(JSON.stringify(detector.cardState('card-1')));
    expect(restoreCardState(stored)).toEqual(stored);
    const { knownDevices: _, countryCounts: __, ...older } = stored;
    expect(restoreCardState(older)).toMatchObject({ knownDevices: [], countryCounts: {}, paymentCount: 1 });
  });

  it('rejects what is not a version-1 card state', () => {
    expect(restoreCardState(null)).toBeNull();
    expect(restoreCardState({ ...emptyCardState(), version: 2 })).toBeNull();
    expect(restoreCardState({ ...emptyCardState(), recent: [{ ts: 'x' }] })).toBeNull();
    expect(restoreCardState({ ...emptyCardState(), amountStats: null })).toBeNull();
    expect(restoreCardState(emptyCardState())).toEqual(emptyCardState());
  });
});

describe('encodeCardState / decodeCardState', () => {
  it('stores a state column-wise and reads back exactly the same state, smaller than version 1', () => {
    const detector = createOfflineDetector({ rules: [], model: null });
    for (let i = 0; i < 30; i++)
      detector.process(pay(i * MIN, { merchantId: `m-${i % 7}`, amount: 1000 + i }));
    const state = detector.cardState('card-1');
    expect(state.recent.length).toBeGreaterThan(5);
    const stored = encodeCardState(state);
    expect(decodeCardState(JSON.parse(stored))).toEqual(state);
    expect(stored.length).toBeLessThan(JSON.stringify(state).length * 0.8);
    // a version-1 state of an older detector still reads
    expect(decodeCardState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('rejects a version-2 state whose columns do not line up', () => {
    const stored = JSON.parse(encodeCardState(emptyCardState()));
    expect(decodeCardState(stored)).toEqual(emptyCardState());
    expect(decodeCardState({ ...stored, r: [['p'], [], [], [], [], [], [], []] })).toBeNull();
    expect(
      decodeCardState({ ...stored, r: [[1], [1], [1], [1], ['EUR'], ['DE'], ['5411'], ['m']] }),
    ).toBeNull();
    expect(decodeCardState({ ...stored, pc: 'x' })).toBeNull();
  });
});
