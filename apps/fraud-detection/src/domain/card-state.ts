/**
 * Per-card state: everything the patterns and features need about a card's past, as a plain
 * JSON-serializable object (the detector keeps it in Redis). Bounded in size whatever the card does.
 */
import type { Payment } from '@streamkit/schemas';
import { toEur } from './currency.ts';

/** One payment as the windows remember it. */
export interface RecentPayment {
  readonly paymentId: string;
  /** event time, epoch ms */
  readonly ts: number;
  /** minor units, as on the wire */
  readonly amount: number;
  /** rough euro equivalent, for thresholds and statistics (see currency.ts) */
  readonly amountEur: number;
  readonly currency: string;
  readonly country: string;
  readonly mcc: string;
  readonly merchantId: string;
}

/** Welford's running statistics over ln(1 + amount in EUR): amounts are roughly log-normal. */
export interface AmountStats {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
}

export interface CardState {
  readonly version: 1;
  /** payments inside the longest window (plus allowed lateness), ascending by ts */
  readonly recent: readonly RecentPayment[];
  /** country and time of the latest payment by event time */
  readonly lastCountry: string | null;
  readonly lastTs: number | null;
  /** merchants and MCCs this card has paid at, oldest first (capped) */
  readonly knownMerchants: readonly string[];
  readonly knownMccs: readonly string[];
  /** devices the card paid from online (capped): a stranger's device is a strong fraud signal */
  readonly knownDevices: readonly string[];
  /** payments per country over the card's life (capped): the most frequent one is the card's home */
  readonly countryCounts: Readonly<Record<string, number>>;
  readonly amountStats: AmountStats;
  /** payments applied over the card's life */
  readonly paymentCount: number;
  readonly firstSeenMs: number | null;
  /** the largest event time seen: the card's watermark */
  readonly watermarkMs: number | null;
  /** ids of the last payments seen (applied or late), oldest first: with `recent`, makes replays no-ops */
  readonly recentIds: readonly string[];
}

/** Caps that keep a card's state small; the defaults hold any plausible human card. */
export interface CardStateLimits {
  /** the longest window any pattern or feature looks back over */
  readonly windowMs: number;
  readonly maxRecent: number;
  readonly maxKnownMerchants: number;
  readonly maxKnownMccs: number;
  readonly maxKnownDevices: number;
  readonly maxCountries: number;
  readonly maxRecentIds: number;
}

export const LONGEST_WINDOW_MS = 60 * 60_000;

export const defaultCardStateLimits: CardStateLimits = Object.freeze({
  windowMs: LONGEST_WINDOW_MS,
  maxRecent: 256,
  maxKnownMerchants: 128,
  maxKnownMccs: 64,
  maxKnownDevices: 16,
  maxCountries: 16,
  // ids in `recent` are checked too, so this only has to cover late and cap-evicted payments
  maxRecentIds: 64,
});

export interface ApplyOptions {
  /** how far behind the watermark a payment may arrive and still enter the windows */
  readonly allowedLatenessMs: number;
  readonly limits?: CardStateLimits;
}

export interface ApplyResult {
  readonly state: CardState;
  /** the payment entered the windows and statistics */
  readonly applied: boolean;
  /** older than watermark − allowed lateness: decided, but not added to the windows */
  readonly late: boolean;
  /** this paymentId was seen before: the state is returned unchanged */
  readonly duplicate: boolean;
}

export function emptyCardState(): CardState {
  return {
    version: 1,
    recent: [],
    lastCountry: null,
    lastTs: null,
    knownMerchants: [],
    knownMccs: [],
    knownDevices: [],
    countryCounts: {},
    amountStats: { count: 0, mean: 0, m2: 0 },
    paymentCount: 0,
    firstSeenMs: null,
    watermarkMs: null,
    recentIds: [],
  };
}

/** The payment's event time in epoch ms (its `ts` is ISO-8601, validated upstream). */
export function paymentTimeMs(payment: Pick<Payment, 'ts'>): number {
  const ms = Date.parse(payment.ts);
  if (Number.isNaN(ms)) throw new RangeError(`payment ts is not a timestamp: ${payment.ts}`);
  return ms;
}

/** Seen before: among the recent ids, or still in the windows. */
export function hasSeenPayment(state: CardState, paymentId: string): boolean {
  if (state.recentIds.includes(paymentId)) return true;
  for (const p of state.recent) if (p.paymentId === paymentId) return true;
  return false;
}

/** Is a payment at `tsMs` behind the card's watermark by more than the allowed lateness? */
export function isLate(state: CardState, tsMs: number, allowedLatenessMs: number): boolean {
  return state.watermarkMs !== null && tsMs < state.watermarkMs - allowedLatenessMs;
}

/**
 * Adds a payment to the card's state. Pure; idempotent per paymentId; event-time based: an
 * out-of-order payment is inserted at its place in time, a late one is only remembered as seen.
 */
export function applyPayment(state: CardState, payment: Payment, options: ApplyOptions): ApplyResult {
  const limits = options.limits ?? defaultCardStateLimits;
  if (hasSeenPayment(state, payment.paymentId))
    return { state, applied: false, late: false, duplicate: true };
  const ts = paymentTimeMs(payment);
  const recentIds = appendCapped(state.recentIds, payment.paymentId, limits.maxRecentIds);
  if (isLate(state, ts, options.allowedLatenessMs)) {
    return { state: { ...state, recentIds }, applied: false, late: true, duplicate: false };
  }
  const watermarkMs = state.watermarkMs === null ? ts : Math.max(state.watermarkMs, ts);
  const entry: RecentPayment = {
    paymentId: payment.paymentId,
    ts,
    amount: payment.amount,
    amountEur: toEur(payment.amount, payment.currency),
    currency: payment.currency,
    country: payment.country,
    mcc: payment.mcc,
    merchantId: payment.merchantId,
  };
  const isLatest = state.lastTs === null || ts >= state.lastTs;
  const next: CardState = {
    version: 1,
    recent: insertRecent(
      state.recent,
      entry,
      watermarkMs - options.allowedLatenessMs - limits.windowMs,
      limits,
    ),
    lastCountry: isLatest ? payment.country : state.lastCountry,
    lastTs: isLatest ? ts : state.lastTs,
    knownMerchants: addKnown(state.knownMerchants, payment.merchantId, limits.maxKnownMerchants),
    knownMccs: addKnown(state.knownMccs, payment.mcc, limits.maxKnownMccs),
    knownDevices:
      payment.deviceId === undefined
        ? state.knownDevices
        : addKnown(state.knownDevices, payment.deviceId, limits.maxKnownDevices),
    countryCounts: countCountry(state.countryCounts, payment.country, limits.maxCountries),
    amountStats: addAmount(state.amountStats, Math.log1p(entry.amountEur)),
    paymentCount: state.paymentCount + 1,
    firstSeenMs: state.firstSeenMs === null ? ts : Math.min(state.firstSeenMs, ts),
    watermarkMs,
    recentIds,
  };
  return { state: next, applied: true, late: false, duplicate: false };
}

/** The country the card is used in most (ties: the first counted); null for a new card. */
export function homeCountry(state: CardState): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [country, count] of Object.entries(state.countryCounts)) {
    if (count > bestCount) {
      best = country;
      bestCount = count;
    }
  }
  return best;
}

/** Welford's update: numerically stable running mean and variance. */
export function addAmount(stats: AmountStats, x: number): AmountStats {
  const count = stats.count + 1;
  const delta = x - stats.mean;
  const mean = stats.mean + delta / count;
  return { count, mean, m2: stats.m2 + delta * (x - mean) };
}

/** Sample standard deviation, 0 with fewer than two values. */
export function amountStdDev(stats: AmountStats): number {
  return stats.count < 2 ? 0 : Math.sqrt(stats.m2 / (stats.count - 1));
}

/** Inserts in ts order (usually at the end), evicting what fell out of the window and the oldest beyond the cap. */
function insertRecent(
  recent: readonly RecentPayment[],
  entry: RecentPayment,
  horizonMs: number,
  limits: CardStateLimits,
): RecentPayment[] {
  let start = 0;
  while (start < recent.length && (recent[start] as RecentPayment).ts <= horizonMs) start++;
  const kept = recent.slice(start);
  let at = kept.length;
  while (at > 0 && (kept[at - 1] as RecentPayment).ts > entry.ts) at--;
  kept.splice(at, 0, entry);
  return kept.length > limits.maxRecent ? kept.slice(kept.length - limits.maxRecent) : kept;
}

/** Counts a country; a new one beyond the cap replaces the rarest (a card's home is never evicted). */
function countCountry(
  counts: Readonly<Record<string, number>>,
  country: string,
  cap: number,
): Record<string, number> {
  const next = { ...counts };
  if (next[country] === undefined && Object.keys(next).length >= cap) {
    let rarest: string | undefined;
    for (const [c, n] of Object.entries(next))
      if (rarest === undefined || n < (next[rarest] as number)) rarest = c;
    if (rarest !== undefined) delete next[rarest];
  }
  next[country] = (next[country] ?? 0) + 1;
  return next;
}

function addKnown(known: readonly string[], value: string, cap: number): readonly string[] {
  return known.includes(value) ? known : appendCapped(known, value, cap);
}

function appendCapped(list: readonly string[], value: string, cap: number): string[] {
  const next = list.length >= cap ? list.slice(list.length - cap + 1) : list.slice();
  next.push(value);
  return next;
}
