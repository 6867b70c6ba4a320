/**
 * Legitimate behaviour of one card over the simulated period: a daily cycle in local time, mostly
 * favourite merchants, some new ones, occasional big purchases, and trips abroad with realistic
 * flight times (no payment while in the air, a taxi after landing, hotels and local shops there).
 */

import type { Random } from '@streamkit/random';
import type { DraftPayment } from './draft.ts';
import { drawAmount } from './draft.ts';
import { HOURLY_ACTIVITY } from './merchant-categories.ts';
import { type Card, ipFor, type Merchant, type Population } from './population.ts';
import { COUNTRIES, type CountryInfo, cityDistanceKm } from './world-data.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** cruise speed plus taxiing and climbing: a 1000 km flight takes about 2 h gate to gate */
const FLIGHT_KMH = 800;
const FLIGHT_OVERHEAD_H = 0.75;

export interface Trip {
  readonly destination: CountryInfo;
  readonly departMs: number;
  readonly arriveMs: number;
  readonly returnDepartMs: number;
  readonly returnArriveMs: number;
}

export interface CardTimeline {
  readonly card: Card;
  readonly payments: DraftPayment[];
  readonly trips: readonly Trip[];
}

export function flightMs(from: CountryInfo, to: CountryInfo): number {
  return (cityDistanceKm(from, to) / FLIGHT_KMH + FLIGHT_OVERHEAD_H) * HOUR;
}

export function planTrips(random: Random, card: Card, startMs: number, endMs: number): Trip[] {
  const trips: Trip[] = [];
  const destinations = COUNTRIES.filter((c) => c.code !== card.home.code && c.travelWeight > 0);
  let t = startMs + random.exponential((365 * DAY) / Math.max(card.tripsPerYear, 0.01));
  while (t < endMs) {
    const destination = random.weighted(destinations, (c) => c.travelWeight);
    const flight = flightMs(card.home, destination);
    const departMs = dayStart(t) + (random.uniform(6, 21) - card.home.utcOffsetHours) * HOUR;
    const arriveMs = departMs + flight;
    const returnDepartMs = arriveMs + random.uniform(2, 10) * DAY;
    const returnArriveMs = returnDepartMs + flight;
    if (departMs > startMs) trips.push({ destination, departMs, arriveMs, returnDepartMs, returnArriveMs });
    t = returnArriveMs + random.exponential((365 * DAY) / Math.max(card.tripsPerYear, 0.01));
  }
  return trips;
}

/** Where the card's owner is at `ts`: a country, or null while flying. */
export function locationAt(card: Card, trips: readonly Trip[], ts: number): CountryInfo | null {
  for (const trip of trips) {
    if (ts < trip.departMs) break;
    if (ts < trip.arriveMs) return null;
    if (ts < trip.returnDepartMs) return trip.destination;
    if (ts < trip.returnArriveMs) return null;
  }
  return card.home;
}

export function generateLegitTimeline(
  random: Random,
  population: Population,
  card: Card,
  startMs: number,
  endMs: number,
): CardTimeline {
  const trips = planTrips(random, card, startMs, endMs);
  const payments: DraftPayment[] = [];
  const add = (tsMs: number, merchant: Merchant, where: CountryInfo, amountMajor: number) => {
    if (tsMs < startMs || tsMs >= endMs) return;
    const abroad = where.code !== card.home.code;
    const online = merchant.mcc.online;
    payments.push({
      tsMs,
      card,
      merchant,
      country: where,
      amountMajor,
      // card-present abroad is charged in local money; online shops bill in the card's currency
      currency: online ? card.home.currency : where.currency,
      ...(online
        ? { deviceId: random.pick(card.deviceIds), ip: abroad ? ipFor(random, where) : card.ip }
        : {}),
      isFraud: false,
      scenario: null,
      scenarioInstance: null,
    });
  };
  const amountAt = (merchant: Merchant, where: CountryInfo, factor = 1) =>
    drawAmount(
      random,
      merchant.mcc.medianEur * card.spendingLevel * factor,
      merchant.mcc.sigma,
      merchant.mcc.online ? card.home : where,
    );

  for (let day = dayStart(startMs); day < endMs; day += DAY) {
    const noon = locationAt(card, trips, day + 12 * HOUR) ?? card.home;
    const weekend = [0, 6].includes(new Date(day).getUTCDay()) ? 1.15 : 1;
    const count = random.poisson(card.dailyRate * weekend);
    for (let k = 0; k < count; k++) {
      const localHour = random.weighted(
        HOURLY_ACTIVITY.map((_, h) => h),
        (h) => HOURLY_ACTIVITY[h] ?? 0,
      );
      const ts = day + (localHour + random.next() - noon.utcOffsetHours) * HOUR;
      const where = locationAt(card, trips, ts);
      if (!where) continue; // in the air
      const merchant = pickMerchant(random, population, card, where);
      add(ts, merchant, where, amountAt(merchant, where));
    }
    if (random.chance(card.bigPurchasePerDay)) {
      const ts = day + (random.uniform(10, 19) - noon.utcOffsetHours) * HOUR;
      const where = locationAt(card, trips, ts);
      if (where) {
        const merchant = random.pick(population.merchantsOfGroup(where.code, 'shopping'));
        // a laptop, a sofa, a ring: hundreds to a few thousand, more for bigger spenders
        const eur = random.uniform(250, 1500) * Math.sqrt(card.spendingLevel);
        add(ts, merchant, where, drawAmount(random, eur, 0.3, where));
      }
    }
  }
  for (const trip of trips) addTripPayments(random, population, card, trip, add, amountAt);
  payments.sort((a, b) => a.tsMs - b.tsMs);
  return { card, payments, trips };
}

type Add = (tsMs: number, merchant: Merchant, where: CountryInfo, amountMajor: number) => void;
type AmountAt = (merchant: Merchant, where: CountryInfo, factor?: number) => number;

function addTripPayments(
  random: Random,
  population: Population,
  card: Card,
  trip: Trip,
  add: Add,
  amountAt: AmountAt,
) {
  const home = card.home;
  const dest = trip.destination;
  const airline = random.pick(population.merchantsIn(home.code, '4511'));
  const bookedMs = trip.departMs - random.uniform(3, 40) * DAY;
  add(bookedMs, airline, home, amountAt(airline, home));
  if (random.chance(0.5)) {
    const snack = random.pick(population.merchantsIn(home.code, '5814'));
    add(trip.departMs - random.uniform(0.7, 2) * HOUR, snack, home, amountAt(snack, home));
  }
  const taxi = random.pick(population.merchantsIn(dest.code, '4121'));
  add(trip.arriveMs + random.uniform(0.4, 1.5) * HOUR, taxi, dest, amountAt(taxi, dest));
  const hotel = random.pick(population.merchantsIn(dest.code, '7011'));
  add(
    trip.returnDepartMs - random.uniform(2, 5) * HOUR,
    hotel,
    dest,
    amountAt(hotel, dest, random.uniform(2, 6)),
  );
  const taxiHome = random.pick(population.merchantsIn(home.code, '4121'));
  add(trip.returnArriveMs + random.uniform(0.4, 1.5) * HOUR, taxiHome, home, amountAt(taxiHome, home));
}

function pickMerchant(random: Random, population: Population, card: Card, where: CountryInfo): Merchant {
  const online = card.favourites.filter((m) => m.mcc.online);
  if (where.code !== card.home.code) {
    if (online.length > 0 && random.chance(0.15)) return random.pick(online);
    const group = random.weighted(
      ['everyday', 'shopping', 'travel'] as const,
      (g) => ({ everyday: 6, shopping: 2, travel: 2 })[g],
    );
    return random.pick(population.merchantsOfGroup(where.code, group));
  }
  if (random.chance(0.12)) {
    const group = random.weighted(
      ['everyday', 'shopping', 'online'] as const,
      (g) => ({ everyday: 5, shopping: 3, online: 2 })[g],
    );
    return random.pick(population.merchantsOfGroup(where.code, group));
  }
  // favourites by a Zipf-like preference: the first is used most
  return random.weighted(card.favourites, (m) => 1 / (card.favourites.indexOf(m) + 1));
}

export function dayStart(ts: number): number {
  return Math.floor(ts / DAY) * DAY;
}
