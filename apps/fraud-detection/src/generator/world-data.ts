/**
 * The generator's world as data: countries (a main city's coordinates for flight times, the local
 * currency, a UTC offset for the daily cycle, how many cardholders live there). Coordinates are the
 * generator's own (cities people fly between), deliberately not the detector's country centroids: the detector must cope with the difference.
 */
import type { Payment } from '@streamkit/schemas';

export type CountryCode = Payment['country'];
export type CurrencyCode = Payment['currency'];

export interface CountryInfo {
  readonly code: CountryCode;
  readonly currency: CurrencyCode;
  /** standard-time offset of the main city, hours */
  readonly utcOffsetHours: number;
  readonly lat: number;
  readonly lon: number;
  /** share of the card population living there (0 = only a travel / attacker destination) */
  readonly homeWeight: number;
  /** how popular it is as a travel destination */
  readonly travelWeight: number;
  /** rough units of the local currency per EUR, to express amounts in local money */
  readonly perEur: number;
}

// biome-ignore format: one row per country reads best as a table
export const COUNTRIES: readonly CountryInfo[] = [
  { code: 'DE', currency: 'EUR', utcOffsetHours: 1, lat: 52.52, lon: 13.4, homeWeight: 20, travelWeight: 6, perEur: 1 },
  { code: 'FR', currency: 'EUR', utcOffsetHours: 1, lat: 48.86, lon: 2.35, homeWeight: 12, travelWeight: 9, perEur: 1 },
  { code: 'GB', currency: 'GBP', utcOffsetHours: 0, lat: 51.51, lon: -0.13, homeWeight: 12, travelWeight: 7, perEur: 0.85 },
  { code: 'US', currency: 'USD', utcOffsetHours: -5, lat: 40.71, lon: -74.0, homeWeight: 20, travelWeight: 8, perEur: 1.08 },
  { code: 'ES', currency: 'EUR', utcOffsetHours: 1, lat: 40.42, lon: -3.7, homeWeight: 6, travelWeight: 10, perEur: 1 },
  { code: 'IT', currency: 'EUR', utcOffsetHours: 1, lat: 41.9, lon: 12.5, homeWeight: 6, travelWeight: 9, perEur: 1 },
  { code: 'NL', currency: 'EUR', utcOffsetHours: 1, lat: 52.37, lon: 4.9, homeWeight: 5, travelWeight: 4, perEur: 1 },
  { code: 'PL', currency: 'PLN', utcOffsetHours: 1, lat: 52.23, lon: 21.01, homeWeight: 4, travelWeight: 2, perEur: 4.3 },
  { code: 'SE', currency: 'SEK', utcOffsetHours: 1, lat: 59.33, lon: 18.07, homeWeight: 3, travelWeight: 2, perEur: 11.5 },
  { code: 'CA', currency: 'CAD', utcOffsetHours: -5, lat: 43.65, lon: -79.38, homeWeight: 4, travelWeight: 3, perEur: 1.47 },
  { code: 'JP', currency: 'JPY', utcOffsetHours: 9, lat: 35.68, lon: 139.69, homeWeight: 4, travelWeight: 4, perEur: 160 },
  { code: 'AU', currency: 'AUD', utcOffsetHours: 10, lat: -33.87, lon: 151.21, homeWeight: 4, travelWeight: 3, perEur: 1.65 },
  { code: 'MX', currency: 'MXN', utcOffsetHours: -6, lat: 19.43, lon: -99.13, homeWeight: 0, travelWeight: 4, perEur: 18.5 },
  { code: 'BR', currency: 'BRL', utcOffsetHours: -3, lat: -23.55, lon: -46.63, homeWeight: 0, travelWeight: 2, perEur: 5.4 },
  { code: 'SG', currency: 'SGD', utcOffsetHours: 8, lat: 1.35, lon: 103.82, homeWeight: 0, travelWeight: 2, perEur: 1.45 },
  { code: 'AE', currency: 'AED', utcOffsetHours: 4, lat: 25.2, lon: 55.27, homeWeight: 0, travelWeight: 3, perEur: 4 },
  { code: 'IN', currency: 'INR', utcOffsetHours: 5.5, lat: 19.08, lon: 72.88, homeWeight: 0, travelWeight: 1, perEur: 90 },
  { code: 'TH', currency: 'THB', utcOffsetHours: 7, lat: 13.76, lon: 100.5, homeWeight: 0, travelWeight: 3, perEur: 39 },
  { code: 'NG', currency: 'NGN', utcOffsetHours: 1, lat: 6.52, lon: 3.38, homeWeight: 0, travelWeight: 0, perEur: 1600 },
  { code: 'RO', currency: 'RON', utcOffsetHours: 2, lat: 44.43, lon: 26.1, homeWeight: 0, travelWeight: 1, perEur: 5 },
  { code: 'ID', currency: 'IDR', utcOffsetHours: 7, lat: -6.21, lon: 106.85, homeWeight: 0, travelWeight: 1, perEur: 17500 },
];

export function countryInfo(code: string): CountryInfo {
  const info = COUNTRIES.find((c) => c.code === code);
  if (!info) throw new RangeError(`unknown generator country ${code}`);
  return info;
}

/** Great-circle distance between two countries' main cities, km. */
export function cityDistanceKm(a: CountryInfo, b: CountryInfo): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

// the categories live in their own file; re-exported so callers find the whole world here
export { HOURLY_ACTIVITY, MCCS, type MccGroup, type MccInfo, mccInfo } from './merchant-categories.ts';
