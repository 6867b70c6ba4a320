/**
 * Amounts across currencies: minor-unit exponents (most currencies have 2 decimals; these are the
 * others) and a rough euro equivalent, so thresholds ("tiny", "large") mean the same on every card.
 */
import { UNITS_PER_EUR } from './data/units-per-eur.ts';

const ZERO_DECIMALS = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const FOUR_DECIMALS = new Set(['CLF', 'UYW']);

export function minorUnitExponent(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  if (FOUR_DECIMALS.has(currency)) return 4;
  return 2;
}

/** An amount in minor units (the wire format) as major units: 12345 EUR cents → 123.45. */
export function toMajorUnits(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorUnitExponent(currency);
}

/** A rough euro equivalent for thresholds and features (see data/units-per-eur.ts); 1:1 for an unknown code. */
export function toEur(amountMinor: number, currency: string): number {
  return toMajorUnits(amountMinor, currency) / (UNITS_PER_EUR[currency] ?? 1);
}

/** "950.00 EUR", "1200 JPY": for reasons people read. */
export function formatAmount(amountEur: number, currency: string): string {
  return `${amountEur.toFixed(minorUnitExponent(currency))} ${currency}`;
}

/** A euro-equivalent amount for reasons: exact-looking for euro payments, marked "≈" for others. */
export function formatEur(amountEur: number, paymentCurrency: string): string {
  return `${paymentCurrency === 'EUR' ? '' : '≈'}${amountEur.toFixed(2)} EUR`;
}
