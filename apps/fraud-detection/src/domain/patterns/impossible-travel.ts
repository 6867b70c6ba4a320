/**
 * Impossible travel: the card is used in a country too far from where it was just used for anyone to
 * have travelled there in between. Compared with the latest earlier payment in ANOTHER country, so
 * every payment of a fraudster abroad is caught, not only the first. A payment in the card's home
 * country (where it is used most) never fires: it is the cardholder; the anomaly was the trip.
 */
import { type CardState, homeCountry } from '../card-state.ts';
import type { PatternMatch } from '../contracts.ts';
import { minTravelDistanceKm } from '../geo.ts';
import { firstAfter } from '../velocity.ts';
import { formatDuration, type PaymentContext } from './context.ts';
import type { ImpossibleTravelSettings } from './settings.ts';

/** Where the card was last seen outside the payment's country, at or before the payment. */
export function previousOtherCountry(
  state: CardState,
  country: string,
  tsMs: number,
): { country: string; ts: number } | null {
  for (let i = firstAfter(state.recent, tsMs) - 1; i >= 0; i--) {
    const p = state.recent[i];
    if (p !== undefined && p.country !== country) return { country: p.country, ts: p.ts };
  }
  // older than the windows: the latest payment overall, if it was elsewhere and before this one
  if (
    state.lastCountry !== null &&
    state.lastTs !== null &&
    state.lastCountry !== country &&
    state.lastTs <= tsMs
  ) {
    return { country: state.lastCountry, ts: state.lastTs };
  }
  return null;
}

export function detectImpossibleTravel(
  state: CardState,
  ctx: PaymentContext,
  settings: ImpossibleTravelSettings,
): PatternMatch | null {
  const { payment, tsMs } = ctx;
  if (homeCountry(state) === payment.country) return null;
  const previous = previousOtherCountry(state, payment.country, tsMs);
  if (previous === null) return null;
  const km = minTravelDistanceKm(previous.country, payment.country);
  if (km < settings.minDistanceKm) return null;
  const elapsedMs = tsMs - previous.ts;
  const speed = km / (Math.max(elapsedMs, 60_000) / 3_600_000);
  if (speed <= settings.maxSpeedKmh) return null;
  return {
    pattern: 'impossible_travel',
    reason: `impossible travel: ${previous.country} → ${payment.country} (≥ ${Math.round(km)} km) in ${formatDuration(elapsedMs)}`,
  };
}
