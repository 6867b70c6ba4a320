/**
 * First-time high-risk MCC: the card pays, for the first time, at a merchant category where stolen
 * cards are turned into cash (gambling, money transfer, quasi-cash, crypto; see settings.ts).
 */
import type { CardState } from '../card-state.ts';
import type { PatternMatch } from '../contracts.ts';
import type { PaymentContext } from './context.ts';
import type { HighRiskMccSettings } from './settings.ts';

export function isHighRiskMcc(mcc: string, settings: HighRiskMccSettings): boolean {
  return settings.highRiskMccs.includes(mcc);
}

export function detectHighRiskMccFirstUse(
  state: CardState,
  ctx: PaymentContext,
  settings: HighRiskMccSettings,
): PatternMatch | null {
  const { mcc } = ctx.payment;
  if (!isHighRiskMcc(mcc, settings) || state.knownMccs.includes(mcc)) return null;
  return { pattern: 'high_risk_mcc_first_use', reason: `first payment at high-risk MCC ${mcc}` };
}
