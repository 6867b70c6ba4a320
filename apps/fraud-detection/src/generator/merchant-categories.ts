/** Merchant categories (ISO 18245 MCCs) with their typical amounts, and the daily rhythm of spending. */
export type MccGroup = 'everyday' | 'shopping' | 'travel' | 'online' | 'high_risk';

export interface MccInfo {
  readonly mcc: string;
  readonly label: string;
  readonly group: MccGroup;
  /** median amount in EUR and log-space spread (amounts are log-normal per category) */
  readonly medianEur: number;
  readonly sigma: number;
  /** how common among a card's everyday merchants */
  readonly weight: number;
  /** card-not-present: the payment carries a device id and IP */
  readonly online: boolean;
}

// biome-ignore format: one row per category reads best as a table
export const MCCS: readonly MccInfo[] = [
  { mcc: '5411', label: 'grocery', group: 'everyday', medianEur: 35, sigma: 0.7, weight: 20, online: false },
  { mcc: '5812', label: 'restaurant', group: 'everyday', medianEur: 28, sigma: 0.6, weight: 10, online: false },
  { mcc: '5814', label: 'fast food', group: 'everyday', medianEur: 9, sigma: 0.5, weight: 10, online: false },
  { mcc: '5541', label: 'fuel', group: 'everyday', medianEur: 55, sigma: 0.4, weight: 7, online: false },
  { mcc: '5912', label: 'pharmacy', group: 'everyday', medianEur: 18, sigma: 0.6, weight: 5, online: false },
  { mcc: '4111', label: 'transit', group: 'everyday', medianEur: 3.5, sigma: 0.5, weight: 6, online: false },
  { mcc: '4121', label: 'taxi', group: 'travel', medianEur: 20, sigma: 0.5, weight: 3, online: false },
  { mcc: '5311', label: 'department store', group: 'shopping', medianEur: 60, sigma: 0.8, weight: 5, online: false },
  { mcc: '5651', label: 'clothing', group: 'shopping', medianEur: 55, sigma: 0.7, weight: 5, online: false },
  { mcc: '5732', label: 'electronics', group: 'shopping', medianEur: 120, sigma: 1.0, weight: 3, online: false },
  { mcc: '5944', label: 'jewelry', group: 'shopping', medianEur: 250, sigma: 1.0, weight: 0.5, online: false },
  { mcc: '7011', label: 'hotel', group: 'travel', medianEur: 150, sigma: 0.6, weight: 0, online: false },
  { mcc: '4511', label: 'airline', group: 'travel', medianEur: 350, sigma: 0.6, weight: 0, online: true },
  { mcc: '5815', label: 'digital goods', group: 'online', medianEur: 8, sigma: 0.8, weight: 6, online: true },
  { mcc: '5999', label: 'online marketplace', group: 'online', medianEur: 30, sigma: 1.0, weight: 8, online: true },
  { mcc: '4814', label: 'telecom', group: 'online', medianEur: 40, sigma: 0.3, weight: 2, online: true },
  { mcc: '7995', label: 'gambling', group: 'high_risk', medianEur: 25, sigma: 0.9, weight: 0, online: true },
  { mcc: '6051', label: 'crypto / quasi-cash', group: 'high_risk', medianEur: 150, sigma: 1.0, weight: 0, online: true },
  { mcc: '4829', label: 'money transfer', group: 'high_risk', medianEur: 200, sigma: 0.9, weight: 0, online: true },
];

/** Relative activity per local hour 0..23: quiet at night, peaks at lunch and early evening. */
export const HOURLY_ACTIVITY: readonly number[] = [
  0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.5, 1.2, 1.8, 2.0, 2.2, 2.6, 3.2, 2.8, 2.3, 2.2, 2.4, 2.9, 3.3, 3.0, 2.4,
  1.7, 1.1, 0.6,
];

export function mccInfo(mcc: string): MccInfo {
  const info = MCCS.find((m) => m.mcc === mcc);
  if (!info) throw new RangeError(`unknown generator MCC ${mcc}`);
  return info;
}
