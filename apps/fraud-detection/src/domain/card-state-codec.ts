/**
 * Reading a CardState back from storage (the detector keeps it in Redis as JSON). A state written by
 * an older version of this code may lack fields added since: those start empty, so a deploy never
 * strands a card. Anything that is not a version-1 card state is rejected (null), never guessed at.
 */
import { type CardState, emptyCardState, type RecentPayment } from './card-state.ts';

export function restoreCardState(value: unknown): CardState | null {
  if (!isRecord(value) || value.version !== 1) return null;
  if (!Array.isArray(value.recent) || !value.recent.every(isRecentPayment)) return null;
  const empty = emptyCardState();
  const strings = (v: unknown, fallback: readonly string[]) =>
    v === undefined
      ? fallback
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? (v as string[])
        : null;
  const numberOrNull = (v: unknown) =>
    v === undefined || v === null ? null : typeof v === 'number' ? v : undefined;
  const knownMerchants = strings(value.knownMerchants, empty.knownMerchants);
  const knownMccs = strings(value.knownMccs, empty.knownMccs);
  const knownDevices = strings(value.knownDevices, empty.knownDevices);
  const recentIds = strings(value.recentIds, empty.recentIds);
  const lastTs = numberOrNull(value.lastTs);
  const firstSeenMs = numberOrNull(value.firstSeenMs);
  const watermarkMs = numberOrNull(value.watermarkMs);
  const countryCounts = value.countryCounts === undefined ? {} : value.countryCounts;
  const stats = value.amountStats;
  if (
    knownMerchants === null ||
    knownMccs === null ||
    knownDevices === null ||
    recentIds === null ||
    lastTs === undefined ||
    firstSeenMs === undefined ||
    watermarkMs === undefined ||
    !(
      value.lastCountry === undefined ||
      value.lastCountry === null ||
      typeof value.lastCountry === 'string'
    ) ||
    !isRecord(countryCounts) ||
    !Object.values(countryCounts).every((n) => typeof n === 'number') ||
    !isRecord(stats) ||
    typeof stats.count !== 'number' ||
    typeof stats.mean !== 'number' ||
    typeof stats.m2 !== 'number' ||
    typeof value.paymentCount !== 'number'
  ) {
    return null;
  }
  return {
    version: 1,
    recent: value.recent as RecentPayment[],
    lastCountry: (value.lastCountry as string | null | undefined) ?? null,
    lastTs,
    knownMerchants,
    knownMccs,
    knownDevices,
    countryCounts: countryCounts as Record<string, number>,
    amountStats: { count: stats.count, mean: stats.mean, m2: stats.m2 },
    paymentCount: value.paymentCount,
    firstSeenMs,
    watermarkMs,
    recentIds,
  };
}

function isRecentPayment(v: unknown): v is RecentPayment {
  return (
    isRecord(v) &&
    typeof v.paymentId === 'string' &&
    typeof v.ts === 'number' &&
    typeof v.amount === 'number' &&
    typeof v.amountEur === 'number' &&
    typeof v.currency === 'string' &&
    typeof v.country === 'string' &&
    typeof v.mcc === 'string' &&
    typeof v.merchantId === 'string'
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
