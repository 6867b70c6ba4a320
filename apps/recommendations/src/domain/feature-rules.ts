import type { UserEventType } from '@streamkit/schemas';
import type { PopularityWindow } from '../common/redis-keys.ts';

/**
 * The feature definitions, shared by the online features worker (Redis), the offline feature
 * computation (trainer, quality) and the tests' reference: one meaning for every feature.
 */
export const EVENT_WEIGHT: Readonly<Record<UserEventType, number>> = { view: 1, add_to_cart: 3, purchase: 5 };

/** Category affinity halves every 2 days of event time. */
export const AFFINITY_HALF_LIFE_MS = 2 * 86_400_000;

/** How many recent items a user's "recent_items" feature keeps. */
export const RECENT_ITEMS = 20;

export interface WindowSpec {
  readonly sizeMs: number;
  /** Windows slide by whole buckets: counts are kept per bucket and summed. */
  readonly bucketMs: number;
}

export const POPULARITY_WINDOWS: Readonly<Record<PopularityWindow, WindowSpec>> = {
  '1h': { sizeMs: 3_600_000, bucketMs: 300_000 },
  '24h': { sizeMs: 86_400_000, bucketMs: 3_600_000 },
};

export const WINDOW_NAMES = Object.keys(POPULARITY_WINDOWS) as PopularityWindow[];

export function bucketStart(tsMs: number, bucketMs: number): number {
  return Math.floor(tsMs / bucketMs) * bucketMs;
}

/** Bucket starts whose buckets make up the window ending at `endMs` (inclusive). */
export function windowBuckets(spec: WindowSpec, endMs: number): number[] {
  const last = bucketStart(endMs, spec.bucketMs);
  const count = spec.sizeMs / spec.bucketMs;
  return Array.from({ length: count }, (_, i) => last - i * spec.bucketMs);
}

/** Exponential decay of `value` from event time `fromMs` to `toMs` (never grows). */
export function decay(value: number, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return value;
  return value * 0.5 ** ((toMs - fromMs) / AFFINITY_HALF_LIFE_MS);
}

/**
 * Adds an event of `weight` at `tsMs` to an affinity held at reference time `refMs`: the result is
 * held at max(refMs, tsMs). A late event (tsMs < refMs) adds its weight decayed to refMs, so the
 * value is the same whatever order the events come in (up to rounding).
 */
export function addAffinity(
  current: number,
  refMs: number,
  weight: number,
  tsMs: number,
): { value: number; refMs: number } {
  if (tsMs >= refMs) return { value: decay(current, refMs, tsMs) + weight, refMs: tsMs };
  return { value: current + decay(weight, tsMs, refMs), refMs };
}

/** An event is late, for the popularity windows, when it is older than watermark − allowed lateness. */
export function isLate(tsMs: number, watermarkMs: number, allowedLatenessMs: number): boolean {
  return tsMs < watermarkMs - allowedLatenessMs;
}
