// CEP patterns: each fires on its scenario and stays quiet on normal behaviour.
import { describe, expect, it } from 'vitest';
import type { PatternMatch } from '../src/domain/contracts.ts';
import { detectPatterns } from '../src/domain/patterns/detect.ts';
import { defaultPatternSettings, validatePatternSettings } from '../src/domain/patterns/settings.ts';
import { HOUR, historyPayments, MIN, pay, stateOf } from './domain.fixtures.ts';

const names = (m: PatternMatch[]) => m.map((x) => x.pattern);
const history = historyPayments();

describe('card_testing', () => {
  const probes = [0, 1, 2, 3, 4].map((i) =>
    pay(i * 50_000, { amount: 100 + i * 20, merchantId: `m-web-${i}` }),
  );

  it('fires on a large payment after several tiny ones within minutes, with a readable reason', () => {
    const m = detectPatterns(stateOf([...history, ...probes]), pay(4 * MIN + 10_000, { amount: 95_000 }));
    expect(names(m)).toContain('card_testing');
    expect(m.find((x) => x.pattern === 'card_testing')?.reason).toBe(
      'card testing: 5 payments ≤ 2.00 EUR in 4 min, then 950.00 EUR',
    );
  });

  it('fires on the probes themselves once they form a series, not on the first ones', () => {
    const [p0, p1, p2] = probes as [never, never, never];
    expect(names(detectPatterns(stateOf(history), p0))).not.toContain('card_testing');
    expect(names(detectPatterns(stateOf([...history, p0]), p1))).not.toContain('card_testing');
    expect(names(detectPatterns(stateOf([...history, p0, p1]), p2))).toContain('card_testing');
  });

  it('does not fire when the probes are older than the window', () => {
    const m = detectPatterns(stateOf([...history, ...probes]), pay(4 * MIN + 10 * MIN, { amount: 95_000 }));
    expect(names(m)).not.toContain('card_testing');
  });

  it('counts a probe exactly one window old as outside (window is (t − 10 min, t])', () => {
    const three = [0, MIN, 2 * MIN].map((t) => pay(t, { amount: 150 }));
    const atEdge = pay(10 * MIN, { amount: 50_000 });
    expect(names(detectPatterns(stateOf(three), atEdge))).not.toContain('card_testing');
    expect(names(detectPatterns(stateOf(three), pay(10 * MIN - 1, { amount: 50_000 })))).toContain(
      'card_testing',
    );
  });

  it('sees probes that arrived out of order', () => {
    const shuffled = [probes[3], probes[0], probes[4], probes[1], probes[2]] as never[];
    expect(names(detectPatterns(stateOf(shuffled), pay(5 * MIN, { amount: 95_000 })))).toContain(
      'card_testing',
    );
  });

  it('stays quiet for a normal big purchase', () => {
    expect(names(detectPatterns(stateOf(history), pay(0, { amount: 120_000 })))).toEqual([]);
  });
});

describe('impossible_travel', () => {
  it('fires on a far country minutes after the home country, and on every payment of the trip', () => {
    const first = pay(20 * MIN, { country: 'BR' });
    const m = detectPatterns(stateOf([...history, pay(0)]), first);
    expect(m.find((x) => x.pattern === 'impossible_travel')?.reason).toMatch(
      /^impossible travel: DE → BR \(≥ \d+ km\) in 20 min$/,
    );
    const second = pay(30 * MIN, { country: 'BR' });
    expect(names(detectPatterns(stateOf([...history, pay(0), first]), second))).toContain(
      'impossible_travel',
    );
  });

  it('stays quiet for a flight: hours between countries', () => {
    const trip = [pay(0), pay(13 * HOUR, { country: 'BR' })];
    expect(names(detectPatterns(stateOf(history), trip[0] as never))).toEqual([]);
    expect(names(detectPatterns(stateOf([...history, pay(0)]), trip[1] as never))).not.toContain(
      'impossible_travel',
    );
  });

  it('stays quiet between big neighbours (US → CA) even when the centroids are far apart', () => {
    const us = historyPayments().map((p) => ({ ...p, country: 'US' as const }));
    expect(
      names(detectPatterns(stateOf([...us, pay(0, { country: 'US' })]), pay(90 * MIN, { country: 'CA' }))),
    ).toEqual([]);
  });

  it('stays quiet for neighbouring countries and for the home country', () => {
    expect(names(detectPatterns(stateOf([...history, pay(0)]), pay(10 * MIN, { country: 'AT' })))).toEqual(
      [],
    );
    const back = stateOf([...history, pay(0), pay(10 * MIN, { country: 'US' })]);
    expect(names(detectPatterns(back, pay(20 * MIN)))).not.toContain('impossible_travel');
  });

  it('compares an out-of-order payment with the payment before it in event time', () => {
    const state = stateOf([...history, pay(0), pay(4 * MIN, { country: 'JP' })]);
    // 2 min after DE, although the card's latest payment (JP) is newer
    expect(names(detectPatterns(state, pay(2 * MIN, { country: 'US' })))).toContain('impossible_travel');
  });
});

describe('velocity_burst', () => {
  it('fires on the 4th payment within a minute', () => {
    const burst = [0, 10_000, 20_000].map((t) => pay(t, { merchantId: `m-${t}` }));
    const m = detectPatterns(stateOf([...history, ...burst]), pay(30_000));
    expect(m.find((x) => x.pattern === 'velocity_burst')?.reason).toBe('velocity burst: 4 payments in 1 min');
    expect(names(detectPatterns(stateOf([...history, ...burst.slice(0, 2)]), pay(30_000)))).not.toContain(
      'velocity_burst',
    );
  });

  it('fires on money far above the card normal within an hour', () => {
    const spree = [0, 8, 16].map((m) => pay(m * MIN, { amount: 30_000, merchantId: `m-shop-${m}` }));
    const m = detectPatterns(stateOf([...history, ...spree]), pay(24 * MIN, { amount: 30_000 }));
    expect(m.find((x) => x.pattern === 'velocity_burst')?.reason).toMatch(
      /^velocity burst: 1200\.00 EUR in 4 payments in 1 h \(typical payment \d+\.\d\d EUR\)$/,
    );
  });

  it('fires on 5 payments within 5 minutes, and on 12 within an hour', () => {
    const five = [0, 1, 2, 3].map((i) => pay(i * 70_000, { merchantId: `m-${i}` }));
    expect(detectPatterns(stateOf([...history, ...five]), pay(4 * 70_000)).map((m) => m.reason)).toContain(
      'velocity burst: 5 payments in 5 min',
    );
    const hourly = Array.from({ length: 11 }, (_, i) => pay(i * 5 * MIN, { amount: 500 }));
    expect(
      detectPatterns(stateOf([...history, ...hourly]), pay(56 * MIN, { amount: 500 })).map((m) => m.reason),
    ).toContain('velocity burst: 12 payments in 1 h');
  });

  it('judges the money against the card history before the burst, not including it', () => {
    const spree = [0, 10, 20].map((m) => pay(m * MIN, { amount: 60_000, merchantId: `m-shop-${m}` }));
    // the three 600.00 payments must not raise the "typical payment" they are compared with
    expect(
      names(detectPatterns(stateOf([...history, ...spree]), pay(30 * MIN, { amount: 20_000 }))),
    ).toContain('velocity_burst');
  });

  it('uses an assumed typical payment for a card without history', () => {
    const spree = [0, 10, 20].map((m) => pay(m * MIN, { amount: 40_000, merchantId: `m-shop-${m}` }));
    expect(names(detectPatterns(stateOf(spree), pay(30 * MIN, { amount: 40_000 })))).toContain(
      'velocity_burst',
    );
    const lunch = [0, 10, 20].map((m) => pay(m * MIN, { amount: 2_000, merchantId: `m-shop-${m}` }));
    expect(names(detectPatterns(stateOf(lunch), pay(30 * MIN, { amount: 2_000 })))).toEqual([]);
  });

  it('stays quiet for one big purchase among everyday ones', () => {
    const day = [pay(0), pay(10 * MIN), pay(20 * MIN, { amount: 150_000 })];
    expect(names(detectPatterns(stateOf([...history, ...day]), pay(30 * MIN)))).toEqual([]);
  });

  it('stays quiet for several everyday payments in a day', () => {
    const day = [0, 2, 4, 6, 8].map((h) => pay(h * HOUR));
    let state = stateOf(history);
    for (const p of day) {
      expect(names(detectPatterns(state, p))).toEqual([]);
      state = stateOf([p], state);
    }
  });
});

describe('high_risk_mcc_first_use', () => {
  it('fires on the first gambling payment of a card, not on later ones nor on ordinary MCCs', () => {
    const bet = pay(0, { mcc: '7995', merchantId: 'm-casino' });
    expect(detectPatterns(stateOf(history), bet)).toEqual([
      { pattern: 'high_risk_mcc_first_use', reason: 'first payment at high-risk MCC 7995' },
    ]);
    expect(names(detectPatterns(stateOf([...history, bet]), pay(HOUR * 3, { mcc: '7995' })))).toEqual([]);
    expect(names(detectPatterns(stateOf(history), pay(0, { mcc: '5999' })))).toEqual([]);
  });
});

describe('pattern settings', () => {
  it('are validated, naming the bad setting', () => {
    expect(validatePatternSettings(defaultPatternSettings)).toBe(defaultPatternSettings);
    expect(() =>
      validatePatternSettings({
        ...defaultPatternSettings,
        impossibleTravel: { maxSpeedKmh: -1, minDistanceKm: 0 },
      }),
    ).toThrow(/impossibleTravel\.maxSpeedKmh/);
    expect(() =>
      validatePatternSettings({ ...defaultPatternSettings, highRiskMcc: { highRiskMccs: ['79'] } }),
    ).toThrow(/"79" is not a 4-digit MCC/);
  });
});
