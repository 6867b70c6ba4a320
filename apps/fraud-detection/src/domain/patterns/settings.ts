/**
 * Pattern parameters as data, so they can be tuned (and documented for the data generator) without
 * touching the detection code. Amounts are rough euro equivalents (see currency.ts), so a threshold
 * means the same on a yen card and a euro card.
 */
import { LONGEST_WINDOW_MS } from '../card-state.ts';

export interface CardTestingSettings {
  /** how far back tiny "probe" payments count */
  readonly windowMs: number;
  /** a probe is at most this much (2.00 = 200 minor units in a two-decimal currency) */
  readonly tinyAmountEur: number;
  /** probes needed before a large payment (or, counting the current one, to flag the probing itself) */
  readonly minTinyPayments: number;
  /** a payment this large after the probes is the cash-out */
  readonly largeAmountEur: number;
}

export interface ImpossibleTravelSettings {
  /** faster than this over the least distance travelled (geo.ts) is not a plane: someone else has the card */
  readonly maxSpeedKmh: number;
  /** trips shorter than this (least distance) are ignored: too close to call from countries alone */
  readonly minDistanceKm: number;
}

/** "this many payments within this window (counting the current one) is more than a person makes" */
export interface CountLimit {
  readonly windowMs: number;
  readonly maxCount: number;
}

export interface VelocityBurstSettings {
  /** count limits, each window at most the card state's longest window (1 h) */
  readonly countLimits: readonly CountLimit[];
  /** the hour's spend without its largest payment, relative to the card's typical payment */
  readonly sumMultiplier: number;
  /** ...and at least this much, so cards with tiny typical payments are not flagged for a lunch */
  readonly minSumEur: number;
  /** ...over at least this many payments in the hour (counting the current one) */
  readonly minCountForSum: number;
  /** a card's own typical payment counts once it has this many past payments... */
  readonly minHistoryForSum: number;
  /** ...before that, this typical payment (EUR) is assumed */
  readonly fallbackTypicalEur: number;
}

export interface HighRiskMccSettings {
  /** ISO 18245 merchant category codes where stolen cards are cashed out */
  readonly highRiskMccs: readonly string[];
}

export interface PatternSettings {
  readonly cardTesting: CardTestingSettings;
  readonly impossibleTravel: ImpossibleTravelSettings;
  readonly velocityBurst: VelocityBurstSettings;
  readonly highRiskMcc: HighRiskMccSettings;
}

/**
 * High-risk MCCs: 4829 wire transfer / money orders, 6050 quasi-cash (financial institutions),
 * 6051 quasi-cash (non-financial: crypto, foreign currency, money orders), 6540 stored-value card
 * loads, 7800 government lotteries, 7801 online casinos, 7802 horse/dog racing, 7995 betting/casino.
 */
export const HIGH_RISK_MCCS: readonly string[] = Object.freeze([
  '4829',
  '6050',
  '6051',
  '6540',
  '7800',
  '7801',
  '7802',
  '7995',
]);

export const defaultPatternSettings: PatternSettings = Object.freeze({
  cardTesting: Object.freeze({
    windowMs: 10 * 60_000,
    tinyAmountEur: 2,
    minTinyPayments: 3,
    largeAmountEur: 100,
  }),
  impossibleTravel: Object.freeze({ maxSpeedKmh: 900, minDistanceKm: 500 }),
  velocityBurst: Object.freeze({
    countLimits: Object.freeze([
      { windowMs: 60_000, maxCount: 4 },
      { windowMs: 5 * 60_000, maxCount: 5 },
      { windowMs: 60 * 60_000, maxCount: 12 },
    ]),
    sumMultiplier: 10,
    minSumEur: 500,
    minCountForSum: 4,
    minHistoryForSum: 5,
    fallbackTypicalEur: 50,
  }),
  highRiskMcc: Object.freeze({ highRiskMccs: HIGH_RISK_MCCS }),
});

/** Rejects settings that would make a pattern fire always or never. */
export function validatePatternSettings(s: PatternSettings): PatternSettings {
  const problems: string[] = [];
  const positive = (path: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) problems.push(`${path} must be a positive number, got ${v}`);
  };
  positive('cardTesting.windowMs', s.cardTesting.windowMs);
  positive('cardTesting.tinyAmountEur', s.cardTesting.tinyAmountEur);
  positive('cardTesting.minTinyPayments', s.cardTesting.minTinyPayments);
  positive('cardTesting.largeAmountEur', s.cardTesting.largeAmountEur);
  if (s.cardTesting.largeAmountEur <= s.cardTesting.tinyAmountEur) {
    problems.push('cardTesting.largeAmountEur must be above tinyAmountEur');
  }
  positive('impossibleTravel.maxSpeedKmh', s.impossibleTravel.maxSpeedKmh);
  if (!(s.impossibleTravel.minDistanceKm >= 0)) problems.push('impossibleTravel.minDistanceKm must be >= 0');
  s.velocityBurst.countLimits.forEach((limit, i) => {
    positive(`velocityBurst.countLimits[${i}].maxCount`, limit.maxCount);
    if (!(limit.windowMs > 0 && limit.windowMs <= LONGEST_WINDOW_MS)) {
      problems.push(
        `velocityBurst.countLimits[${i}].windowMs must be in (0, ${LONGEST_WINDOW_MS}], got ${limit.windowMs}`,
      );
    }
  });
  positive('velocityBurst.sumMultiplier', s.velocityBurst.sumMultiplier);
  positive('velocityBurst.minSumEur', s.velocityBurst.minSumEur);
  positive('velocityBurst.minCountForSum', s.velocityBurst.minCountForSum);
  if (!(s.velocityBurst.minHistoryForSum >= 0)) problems.push('velocityBurst.minHistoryForSum must be >= 0');
  positive('velocityBurst.fallbackTypicalEur', s.velocityBurst.fallbackTypicalEur);
  for (const mcc of s.highRiskMcc.highRiskMccs) {
    if (!/^[0-9]{4}$/.test(mcc)) problems.push(`highRiskMcc.highRiskMccs: "${mcc}" is not a 4-digit MCC`);
  }
  if (problems.length > 0) throw new RangeError(`invalid pattern settings: ${problems.join('; ')}`);
  return s;
}
