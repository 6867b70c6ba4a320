/** Great-circle distances between country centroids: how far a card "moved" between two payments. */
import { COUNTRY_CENTROIDS } from './data/country-centroids.ts';
import { COUNTRY_EXTENTS_KM, DEFAULT_EXTENT_KM } from './data/country-extents.ts';

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;
/** Below one minute apart, time differences say nothing about speed; treat them as one minute. */
const MIN_TRAVEL_MS = 60_000;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export function countryCentroid(country: string): LatLon | undefined {
  const c = COUNTRY_CENTROIDS[country];
  return c === undefined ? undefined : { lat: c[0], lon: c[1] };
}

/** Haversine distance in km. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance between two countries' centroids in km; 0 for the same or an unknown country. */
export function countryDistanceKm(fromCountry: string, toCountry: string): number {
  if (fromCountry === toCountry) return 0;
  const a = countryCentroid(fromCountry);
  const b = countryCentroid(toCountry);
  return a === undefined || b === undefined ? 0 : distanceKm(a, b);
}

/**
 * The typical least distance travelled between the two countries: centroid distance less both
 * countries' extents (data/country-extents.ts), never below 0. Neighbours come out as 0.
 */
export function minTravelDistanceKm(fromCountry: string, toCountry: string): number {
  const km = countryDistanceKm(fromCountry, toCountry);
  if (km === 0) return 0;
  const extents =
    (COUNTRY_EXTENTS_KM[fromCountry] ?? DEFAULT_EXTENT_KM) +
    (COUNTRY_EXTENTS_KM[toCountry] ?? DEFAULT_EXTENT_KM);
  return Math.max(0, km - extents);
}

/**
 * The speed a person would at least need to have travelled from one country to the other between the two
 * times (order-independent), in km/h, over minTravelDistanceKm; 0 for the same or a neighbouring country.
 */
export function travelSpeedKmh(fromCountry: string, fromMs: number, toCountry: string, toMs: number): number {
  const km = minTravelDistanceKm(fromCountry, toCountry);
  if (km === 0) return 0;
  const hours = Math.max(Math.abs(toMs - fromMs), MIN_TRAVEL_MS) / 3_600_000;
  return km / hours;
}
