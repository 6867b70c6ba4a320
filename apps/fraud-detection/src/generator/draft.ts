import type { Random } from '@streamkit/random';
import type { Payment } from '@streamkit/schemas';
import { minorUnitExponent } from '../domain/currency.ts';
import type { Card, Merchant } from './population.ts';
import type { CountryInfo } from './world-data.ts';

/** The injected fraud scenarios; the names are the detector's pattern names. */
export const SCENARIOS = [
  'card_testing',
  'impossible_travel',
  'velocity_burst',
  'high_risk_mcc_first_use',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** A payment before ids are assigned (ids follow the final event-time order). */
export interface DraftPayment {
  readonly tsMs: number;
  readonly card: Card;
  readonly merchant: Merchant;
  /** where the card was used (the merchant's country for card-present, the user's location online) */
  readonly country: CountryInfo;
  /** in major units of `currency` */
  readonly amountMajor: number;
  readonly currency: Payment['currency'];
  readonly deviceId?: string;
  readonly ip?: string;
  readonly isFraud: boolean;
  readonly scenario: ScenarioName | null;
  readonly scenarioInstance: string | null;
}

/** A generated payment with its ground truth. */
export interface LabelledPayment {
  readonly payment: Payment;
  readonly isFraud: boolean;
  /** the injected scenario this payment belongs to; null for legitimate payments */
  readonly scenario: ScenarioName | null;
  /** one id per injected scenario instance (all its payments share it); null when legitimate */
  readonly scenarioInstance: string | null;
}

/** An amount drawn in EUR, expressed in the currency: log-normal around a median. */
export function drawAmount(random: Random, medianEur: number, sigma: number, country: CountryInfo): number {
  return random.logNormal(medianEur, sigma) * country.perEur;
}

export function toPayment(draft: DraftPayment, paymentId: string): Payment {
  const scale = 10 ** minorUnitExponent(draft.currency);
  const payment: Payment = {
    paymentId,
    cardId: draft.card.cardId,
    accountId: draft.card.accountId,
    merchantId: draft.merchant.merchantId,
    mcc: draft.merchant.mcc.mcc,
    amount: Math.max(1, Math.round(draft.amountMajor * scale)),
    currency: draft.currency,
    country: draft.country.code,
    ts: new Date(draft.tsMs).toISOString(),
  };
  if (draft.deviceId !== undefined) payment.deviceId = draft.deviceId;
  if (draft.ip !== undefined) payment.ip = draft.ip;
  return payment;
}
