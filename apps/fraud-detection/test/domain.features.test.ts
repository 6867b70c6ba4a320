// Features: finite numbers in FEATURE_NAMES order, computed from the state before the payment.
import { COUNTRY_CODES } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { emptyCardState } from '../src/domain/card-state.ts';
import { COUNTRY_CENTROIDS } from '../src/domain/data/country-centroids.ts';
import {
  computeFeatures,
  FEATURE_NAMES,
  featureValue,
  MAX_TRAVEL_SPEED_KMH,
} from '../src/domain/features.ts';
import { countryDistanceKm, distanceKm, minTravelDistanceKm, travelSpeedKmh } from '../src/domain/geo.ts';
import { detectPatterns } from '../src/domain/patterns/detect.ts';
import { defaultPatternSettings } from '../src/domain/patterns/settings.ts';
import { HOUR, historyPayments, MIN, pay, stateOf } from './domain.fixtures.ts';

const history = historyPayments();

function features(state: ReturnType<typeof stateOf>, p: ReturnType<typeof pay>) {
  const f = computeFeatures(state, p, detectPatterns(state, p));
  return Object.fromEntries(f.names.map((n, i) => [n, f.values[i]]));
}

describe('computeFeatures', () => {
  it('returns finite numbers in FEATURE_NAMES order, for a new card and a settled one', () => {
    for (const state of [emptyCardState(), stateOf(history)]) {
      const f = computeFeatures(state, pay(0), []);
      expect(f.names).toBe(FEATURE_NAMES);
      expect(f.values).toHaveLength(FEATURE_NAMES.length);
      for (const v of f.values) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('counts velocity including the current payment, by event time', () => {
    const state = stateOf([
      ...history,
      pay(0, { amount: 1000 }),
      pay(30_000, { amount: 2000 }),
      pay(10 * MIN, { amount: 500 }),
    ]);
    const f = features(state, pay(10 * MIN + 20_000, { amount: 4000 }));
    expect(f.count_1m).toBe(2);
    expect(f.log_sum_1m).toBeCloseTo(Math.log1p(45), 10);
    expect(f.count_1h).toBe(4);
    expect(f.log_sum_1h).toBeCloseTo(Math.log1p(75), 10);
  });

  it('flags new merchants, high-risk MCCs, matched patterns and unusual amounts', () => {
    const state = stateOf(history);
    const usual = features(state, pay(0, { merchantId: 'm-grocery', amount: 3000 }));
    expect(usual).toMatchObject({ new_merchant: 0, high_risk_mcc: 0, pattern_high_risk_mcc_first_use: 0 });
    expect(Math.abs(usual.amount_zscore as number)).toBeLessThan(2);
    const odd = features(state, pay(0, { merchantId: 'm-casino', mcc: '7995', amount: 400_000 }));
    expect(odd).toMatchObject({ new_merchant: 1, high_risk_mcc: 1, pattern_high_risk_mcc_first_use: 1 });
    expect(odd.amount_zscore).toBeGreaterThan(3);
  });

  it('measures travel speed since the last payment elsewhere, capped', () => {
    const f = features(stateOf([...history, pay(0)]), pay(2 * HOUR, { country: 'US' }));
    const expected = minTravelDistanceKm('DE', 'US') / 2;
    expect(f.travel_speed_kmh).toBeCloseTo(expected, 6);
    expect(features(stateOf([pay(0)]), pay(1000, { country: 'AU' })).travel_speed_kmh).toBe(
      MAX_TRAVEL_SPEED_KMH,
    );
    expect(features(stateOf([pay(0)]), pay(MIN)).travel_speed_kmh).toBe(0);
  });

  it('flags an online payment from a device the card never used, and a first payment in a new country', () => {
    const state = stateOf([...history, pay(0, { deviceId: 'dev-own', mcc: '5999' })]);
    expect(features(state, pay(MIN, { deviceId: 'dev-own' }))).toMatchObject({
      new_device: 0,
      new_country: 0,
    });
    expect(features(state, pay(MIN, { deviceId: 'dev-other' })).new_device).toBe(1);
    expect(features(state, pay(MIN)).new_device).toBe(0); // card present: no device id
    expect(features(state, pay(MIN, { country: 'FR' })).new_country).toBe(1);
    expect(features(emptyCardState(), pay(MIN, { country: 'FR' })).new_country).toBe(0);
  });

  it('shrinks the amount spread for cards with few payments, so two equal amounts do not make a 10-sigma outlier', () => {
    const two = stateOf([pay(0, { amount: 3000 }), pay(MIN, { amount: 3000 })]);
    const z = features(two, pay(2 * MIN, { amount: 2500 })).amount_zscore as number;
    expect(z).toBeLessThan(0);
    expect(z).toBeGreaterThan(-1);
  });

  it('encodes the UTC hour on the circle', () => {
    const f = features(emptyCardState(), pay(-10 * HOUR)); // 00:00 UTC
    expect(f.hour_sin).toBeCloseTo(0, 10);
    expect(f.hour_cos).toBeCloseTo(1, 10);
  });

  it('reads a feature by name, undefined for an unknown one', () => {
    const f = computeFeatures(emptyCardState(), pay(0, { amount: 999 }), []);
    expect(featureValue(f, 'log_amount')).toBeCloseTo(Math.log1p(9.99), 10);
    expect(featureValue(f, 'nope')).toBeUndefined();
    expect(featureValue({ names: ['x', 'log_amount'], values: new Float64Array([1, 2]) }, 'log_amount')).toBe(
      2,
    );
  });
});

describe('geo', () => {
  it('has a centroid for every ISO 3166-1 country code, within lat/lon range', () => {
    const missing = COUNTRY_CODES.filter((c) => COUNTRY_CENTROIDS[c] === undefined);
    expect(missing).toEqual([]);
    for (const [lat, lon] of Object.values(COUNTRY_CENTROIDS)) {
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
    }
  });

  it('computes great-circle distances', () => {
    // Berlin–New York is about 6385 km
    expect(distanceKm({ lat: 52.52, lon: 13.405 }, { lat: 40.7128, lon: -74.006 })).toBeGreaterThan(6300);
    expect(distanceKm({ lat: 52.52, lon: 13.405 }, { lat: 40.7128, lon: -74.006 })).toBeLessThan(6450);
    expect(countryDistanceKm('DE', 'DE')).toBe(0);
    expect(countryDistanceKm('DE', 'FR')).toBeGreaterThan(400);
    expect(countryDistanceKm('DE', 'FR')).toBeLessThan(800);
  });

  it('takes the typical least distance travelled: 0 or little between neighbours, most of it between continents', () => {
    expect(countryDistanceKm('US', 'CA')).toBeGreaterThan(800);
    expect(minTravelDistanceKm('US', 'CA')).toBe(0);
    // European neighbours stay below the pattern's minimum distance
    expect(minTravelDistanceKm('DE', 'PL')).toBeLessThan(
      defaultPatternSettings.impossibleTravel.minDistanceKm,
    );
    expect(minTravelDistanceKm('FR', 'ES')).toBeLessThan(
      defaultPatternSettings.impossibleTravel.minDistanceKm,
    );
    expect(minTravelDistanceKm('DE', 'BR')).toBeGreaterThan(7000);
    expect(minTravelDistanceKm('DE', 'BR')).toBeLessThan(countryDistanceKm('DE', 'BR'));
  });

  it('derives a travel speed, order-independent and 0 without a country change', () => {
    const speed = travelSpeedKmh('DE', 0, 'BR', 2 * HOUR);
    expect(speed).toBeCloseTo(minTravelDistanceKm('DE', 'BR') / 2, 6);
    expect(travelSpeedKmh('BR', 2 * HOUR, 'DE', 0)).toBeCloseTo(speed, 6);
    expect(travelSpeedKmh('DE', 0, 'DE', 1)).toBe(0);
  });
});
