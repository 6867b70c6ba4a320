import { createRandom } from '@streamkit/random';
import { paymentValidator } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { toMajorUnits } from '../src/domain/currency.ts';
import type { LabelledPayment } from '../src/generator/draft.ts';
import { GeneratorSettingsError } from '../src/generator/errors.ts';
import { generatePayments } from '../src/generator/stream.ts';
import { COUNTRIES, cityDistanceKm, countryInfo } from '../src/generator/world-data.ts';

const startMs = Date.UTC(2026, 0, 1);
const settings = { seed: 7, cards: 400, days: 4, startMs, fraudPerCardDay: 0.02 };
const stream = generatePayments(settings);
const ms = (p: LabelledPayment) => Date.parse(p.payment.ts);

function instancesOf(scenario: string): LabelledPayment[][] {
  const byInstance = new Map<string, LabelledPayment[]>();
  for (const p of stream) {
    if (p.scenario !== scenario || p.scenarioInstance === null) continue;
    byInstance.set(p.scenarioInstance, [...(byInstance.get(p.scenarioInstance) ?? []), p]);
  }
  return [...byInstance.values()].map((list) => list.sort((a, b) => ms(a) - ms(b)));
}

describe('the payment generator', () => {
  it('is deterministic by seed: the same settings give the same stream, another seed another', () => {
    expect(generatePayments(settings)).toEqual(stream);
    const other = generatePayments({ ...settings, seed: 8 });
    expect(other.map((p) => p.payment.amount)).not.toEqual(stream.map((p) => p.payment.amount));
  });

  it('produces valid Payment events with unique ids', () => {
    expect(stream.length).toBeGreaterThan(2000);
    for (const p of stream)
      expect(paymentValidator.validate(p.payment)).toEqual({ ok: true, value: p.payment });
    expect(new Set(stream.map((p) => p.payment.paymentId)).size).toBe(stream.length);
  });

  it('labels every payment: fraud exactly when it belongs to an injected scenario', () => {
    for (const p of stream) {
      expect(p.isFraud).toBe(p.scenario !== null);
      expect(p.scenarioInstance === null).toBe(p.scenario === null);
    }
    for (const scenario of [
      'card_testing',
      'impossible_travel',
      'velocity_burst',
      'high_risk_mcc_first_use',
    ]) {
      expect(instancesOf(scenario).length, scenario).toBeGreaterThan(0);
    }
  });

  it('keeps event time nearly ordered: a small fraction arrives late, by at most maxDelay', () => {
    let maxSeen = 0;
    let late = 0;
    for (const p of stream) {
      const ts = ms(p);
      if (ts < maxSeen) {
        late++;
        expect(maxSeen - ts).toBeLessThanOrEqual(30_000);
      }
      maxSeen = Math.max(maxSeen, ts);
    }
    expect(late).toBeGreaterThan(0);
    expect(late / stream.length).toBeLessThan(0.03);
  });

  it('follows a daily cycle: far more payments at local midday than at local 3 a.m.', () => {
    const berlin = stream.filter((p) => p.payment.country === 'DE' && !p.isFraud);
    const atLocalHour = (h: number) =>
      berlin.filter((p) => (new Date(ms(p)).getUTCHours() + 1) % 24 === h).length;
    expect(atLocalHour(12)).toBeGreaterThan(5 * atLocalHour(3));
  });

  it('card testing: ≥ 3 tiny payments (≤ 2.00 EUR-equivalent) then one large payment within minutes', () => {
    for (const attack of instancesOf('card_testing')) {
      const last = attack[attack.length - 1];
      const probes = attack.slice(0, -1);
      expect(probes.length).toBeGreaterThanOrEqual(3);
      for (const probe of probes) expect(eur(probe)).toBeLessThanOrEqual(2.01);
      expect(last).toBeDefined();
      if (!last) continue;
      expect(eur(last)).toBeGreaterThanOrEqual(299);
      expect(ms(last) - ms(attack[0] ?? last)).toBeLessThan(30 * 60_000);
    }
  });

  it('impossible travel: used far away (> 2500 km) within two hours of the owner paying at home', () => {
    for (const attack of instancesOf('impossible_travel')) {
      const first = attack[0];
      if (!first) continue;
      const before = stream.filter(
        (p) => p.payment.cardId === first.payment.cardId && !p.isFraud && ms(p) <= ms(first),
      );
      const anchor = before[before.length - 1];
      expect(anchor).toBeDefined();
      if (!anchor) continue;
      expect(anchor.payment.country).not.toBe(first.payment.country);
      expect(ms(first) - ms(anchor)).toBeLessThanOrEqual(2 * 3_600_000 + 30_000);
      const km = distance(anchor.payment.country, first.payment.country);
      expect(km).toBeGreaterThan(2500);
    }
  });

  it('velocity burst: ≥ 4 payments, either within minutes or summing to ≥ 1000 EUR within the hour', () => {
    for (const attack of instancesOf('velocity_burst')) {
      expect(attack.length).toBeGreaterThanOrEqual(4);
      const span = ms(attack[attack.length - 1] as LabelledPayment) - ms(attack[0] as LabelledPayment);
      const sumEur = attack.reduce((s, p) => s + eur(p), 0);
      expect(span <= 10 * 60_000 || (span <= 2 * 3_600_000 && sumEur >= 1000)).toBe(true);
    }
  });

  it('high-risk MCC first use: gambling / crypto / money transfer on a card that never used one', () => {
    for (const attack of instancesOf('high_risk_mcc_first_use')) {
      const first = attack[0] as LabelledPayment;
      expect(['7995', '6051', '4829']).toContain(first.payment.mcc);
      const earlier = stream.filter((p) => p.payment.cardId === first.payment.cardId && ms(p) < ms(first));
      expect(earlier.some((p) => ['7995', '6051', '4829'].includes(p.payment.mcc))).toBe(false);
    }
  });

  it('legitimate travel respects flight times: no country change faster than 900 km/h between main cities', () => {
    const byCard = new Map<string, LabelledPayment[]>();
    for (const p of stream)
      if (!p.isFraud) byCard.set(p.payment.cardId, [...(byCard.get(p.payment.cardId) ?? []), p]);
    let countryChanges = 0;
    for (const list of byCard.values()) {
      list.sort((a, b) => ms(a) - ms(b));
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1] as LabelledPayment, list[i] as LabelledPayment];
        if (a.payment.country === b.payment.country) continue;
        countryChanges++;
        const hours = (ms(b) - ms(a)) / 3_600_000;
        expect(distance(a.payment.country, b.payment.country) / hours).toBeLessThan(900);
      }
    }
    expect(countryChanges).toBeGreaterThan(5);
  });

  it('rejects nonsense settings with every problem named', () => {
    expect(() => generatePayments({ ...settings, cards: 0, days: -1 })).toThrow(GeneratorSettingsError);
    expect(() => generatePayments({ ...settings, cards: 0, days: -1 })).toThrow(
      /cards must be .*; days must be/,
    );
    expect(() => generatePayments({ ...settings, outOfOrderFraction: 2 })).toThrow(/outOfOrderFraction/);
  });

  it('the PRNG is uniform enough and reproducible', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

/** the amount in EUR at the generator's own rates */
function eur(p: LabelledPayment): number {
  const country = COUNTRIES.find((c) => c.currency === p.payment.currency);
  return toMajorUnits(p.payment.amount, p.payment.currency) / (country?.perEur ?? 1);
}

function distance(a: string, b: string): number {
  return cityDistanceKm(countryInfo(a), countryInfo(b));
}
