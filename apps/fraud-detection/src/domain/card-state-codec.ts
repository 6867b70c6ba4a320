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

/**
 * The stored form (version 2): `recent` as one array per field instead of one object per payment,
 * so the field names are not repeated 256 times and JSON.stringify, the bytes in Redis and the
 * parse on a cold read all shrink. The CardState it decodes to is identical to the one encoded.
 */
interface StoredCardStateV2 {
  readonly v: 2;
  /** recent: paymentId, ts, amount, amountEur, currency, country, mcc, merchantId */
  readonly r: [string[], number[], number[], number[], string[], string[], string[], string[]];
  readonly lc: string | null;
  readonly lt: number | null;
  readonly km: readonly string[];
  readonly kc: readonly string[];
  readonly kd: readonly string[];
  readonly cc: Readonly<Record<string, number>>;
  /** amountStats: count, mean, m2 */
  readonly as: [number, number, number];
  readonly pc: number;
  readonly fs: number | null;
  readonly wm: number | null;
  readonly ri: readonly string[];
}

export function encodeCardState(state: CardState): string {
  const n = state.recent.length;
  const r: StoredCardStateV2['r'] = [
    new Array(n),
    new Array(n),
    new Array(n),
    new Array(n),
    new Array(n),
    new Array(n),
    new Array(n),
    new Array(n),
  ];
  state.recent.forEach((p, i) => {
    r[0][i] = p.paymentId;
    r[1][i] = p.ts;
    r[2][i] = p.amount;
    r[3][i] = p.amountEur;
    r[4][i] = p.currency;
    r[5][i] = p.country;
    r[6][i] = p.mcc;
    r[7][i] = p.merchantId;
  });
  const stored: StoredCardStateV2 = {
    v: 2,
    r,
    lc: state.lastCountry,
    lt: state.lastTs,
    km: state.knownMerchants,
    kc: state.knownMccs,
    kd: state.knownDevices,
    cc: state.countryCounts,
    as: [state.amountStats.count, state.amountStats.mean, state.amountStats.m2],
    pc: state.paymentCount,
    fs: state.firstSeenMs,
    wm: state.watermarkMs,
    ri: state.recentIds,
  };
  return JSON.stringify(stored);
}

/** A stored state (version 2, or a version-1 JSON CardState of an older detector); null: unreadable. */
export function decodeCardState(parsed: unknown): CardState | null {
  if (!isRecord(parsed)) return null;
  if (parsed.v !== 2) return restoreCardState(parsed);
  const r = parsed.r;
  if (!Array.isArray(r) || r.length !== 8 || !r.every(Array.isArray)) return null;
  const columns = r as unknown[][];
  const n = columns[0]?.length ?? 0;
  if (!columns.every((c) => c.length === n)) return null;
  const recent: RecentPayment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    recent[i] = {
      paymentId: columns[0]?.[i] as string,
      ts: columns[1]?.[i] as number,
      amount: columns[2]?.[i] as number,
      amountEur: columns[3]?.[i] as number,
      currency: columns[4]?.[i] as string,
      country: columns[5]?.[i] as string,
      mcc: columns[6]?.[i] as string,
      merchantId: columns[7]?.[i] as string,
    };
  }
  const stats = Array.isArray(parsed.as) ? (parsed.as as unknown[]) : [];
  // the version-1 reader checks every field's type; one code path for both versions
  return restoreCardState({
    version: 1,
    recent,
    lastCountry: parsed.lc,
    lastTs: parsed.lt,
    knownMerchants: parsed.km,
    knownMccs: parsed.kc,
    knownDevices: parsed.kd,
    countryCounts: parsed.cc,
    amountStats: { count: stats[0], mean: stats[1], m2: stats[2] },
    paymentCount: parsed.pc,
    firstSeenMs: parsed.fs,
    watermarkMs: parsed.wm,
    recentIds: parsed.ri,
  });
}
