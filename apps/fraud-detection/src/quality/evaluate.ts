/**
 * Detection quality of decisions against the generator's labels.
 *
 * - A payment is FLAGGED when its decision is review or decline.
 * - Payment precision = flagged fraud payments / flagged payments, where a flagged legitimate payment
 *   of a card WHILE it is under attack (from the attack's first payment to 24 h after its last)
 *   is "collateral", counted apart and not as a false alarm: the card really is compromised, and
 *   blocking it is the right call. `strictPaymentPrecision` counts collateral as false positives;
 *   both are printed. Payment recall = flagged fraud payments / fraud payments (informative only:
 *   the first probes of a card-testing run look like any small online payment, by design).
 * - Scenario recall = detected instances / injected instances, where an instance (one attack on one
 *   card: all payments sharing a scenarioInstance id) is DETECTED when at least one of its payments
 *   is flagged — the attack was stopped or handed to an analyst.
 * The issue's bar: scenario recall ≥ 0.90 and payment precision ≥ 0.80.
 * Payments before `evaluateFromMs` (the warm-up, while card histories are being built) are decided
 * but not counted.
 */
import type { Decision } from '../domain/index.ts';
import type { LabelledPayment, ScenarioName } from '../generator/draft.ts';
import { SCENARIOS } from '../generator/draft.ts';

export interface QualityBar {
  readonly minScenarioRecall: number;
  readonly minPaymentPrecision: number;
}

export const ISSUE_QUALITY_BAR: QualityBar = Object.freeze({
  minScenarioRecall: 0.9,
  minPaymentPrecision: 0.8,
});

export interface ScenarioQuality {
  readonly instances: number;
  readonly detected: number;
  readonly payments: number;
  readonly flaggedPayments: number;
}

export interface QualityReport {
  readonly payments: number;
  readonly confusion: { readonly tp: number; readonly fp: number; readonly tn: number; readonly fn: number };
  readonly paymentPrecision: number;
  /** collateral flags counted as false positives */
  readonly strictPaymentPrecision: number;
  /** flagged legitimate payments of cards under attack (included in confusion.fp) */
  readonly collateral: number;
  readonly paymentRecall: number;
  readonly instances: number;
  readonly detectedInstances: number;
  readonly scenarioRecall: number;
  readonly perScenario: Readonly<Record<ScenarioName, ScenarioQuality>>;
  readonly decisions: Readonly<Record<Decision, number>>;
  /** why legitimate payments were flagged: first reason → count, most frequent first */
  readonly falsePositiveReasons: readonly (readonly [string, number])[];
  readonly missedInstances: readonly string[];
  readonly bar: QualityBar;
  readonly passed: boolean;
}

export interface DecidedPayment {
  readonly labelled: LabelledPayment;
  readonly decision: Decision;
  readonly reasons: readonly string[];
}

/** a compromised card is blocked for about a day in practice; its owner's payments meanwhile are collateral */
const COLLATERAL_AFTER_MS = 24 * 3_600_000;

export function evaluateQuality(
  decided: readonly DecidedPayment[],
  options: { evaluateFromMs?: number; bar?: QualityBar } = {},
): QualityReport {
  const bar = options.bar ?? ISSUE_QUALITY_BAR;
  const attacks = attackWindows(decided);
  const underAttack = (cardId: string, tsMs: number) =>
    (attacks.get(cardId) ?? []).some((w) => tsMs >= w.fromMs && tsMs <= w.toMs + COLLATERAL_AFTER_MS);
  let collateral = 0;
  const from = options.evaluateFromMs ?? Number.NEGATIVE_INFINITY;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  const decisions: Record<Decision, number> = { approve: 0, review: 0, decline: 0 };
  const instances = new Map<string, { scenario: ScenarioName; detected: boolean }>();
  const perScenario = Object.fromEntries(
    SCENARIOS.map((s) => [s, { instances: 0, detected: 0, payments: 0, flaggedPayments: 0 }]),
  ) as Record<
    ScenarioName,
    { instances: number; detected: number; payments: number; flaggedPayments: number }
  >;
  const fpReasons = new Map<string, number>();
  let payments = 0;
  for (const { labelled, decision, reasons } of decided) {
    if (Date.parse(labelled.payment.ts) < from) continue;
    payments++;
    decisions[decision]++;
    const flagged = decision !== 'approve';
    if (labelled.isFraud && flagged) tp++;
    else if (flagged) fp++;
    else if (labelled.isFraud) fn++;
    else tn++;
    if (
      flagged &&
      !labelled.isFraud &&
      underAttack(labelled.payment.cardId, Date.parse(labelled.payment.ts))
    ) {
      collateral++;
    } else if (flagged && !labelled.isFraud) {
      const reason = (reasons[0] ?? 'no reason').replace(/[0-9.,]+/g, '#');
      fpReasons.set(reason, (fpReasons.get(reason) ?? 0) + 1);
    }
    if (labelled.scenario !== null && labelled.scenarioInstance !== null) {
      const stats = perScenario[labelled.scenario];
      stats.payments++;
      if (flagged) stats.flaggedPayments++;
      const instance = instances.get(labelled.scenarioInstance) ?? {
        scenario: labelled.scenario,
        detected: false,
      };
      instance.detected ||= flagged;
      instances.set(labelled.scenarioInstance, instance);
    }
  }
  for (const { scenario, detected } of instances.values()) {
    perScenario[scenario].instances++;
    if (detected) perScenario[scenario].detected++;
  }
  const detectedInstances = [...instances.values()].filter((i) => i.detected).length;
  const paymentPrecision = tp + fp - collateral === 0 ? 0 : tp / (tp + fp - collateral);
  const strictPaymentPrecision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const paymentRecall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const scenarioRecall = instances.size === 0 ? 0 : detectedInstances / instances.size;
  return {
    payments,
    confusion: { tp, fp, tn, fn },
    paymentPrecision,
    strictPaymentPrecision,
    collateral,
    paymentRecall,
    instances: instances.size,
    detectedInstances,
    scenarioRecall,
    perScenario,
    decisions,
    falsePositiveReasons: [...fpReasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10),
    missedInstances: [...instances.entries()].filter(([, i]) => !i.detected).map(([id]) => id),
    bar,
    passed:
      instances.size > 0 &&
      scenarioRecall >= bar.minScenarioRecall &&
      paymentPrecision >= bar.minPaymentPrecision,
  };
}

/** Per card, the event-time span of each injected attack on it. */
function attackWindows(decided: readonly DecidedPayment[]): Map<string, { fromMs: number; toMs: number }[]> {
  const byInstance = new Map<string, { cardId: string; fromMs: number; toMs: number }>();
  for (const { labelled } of decided) {
    if (labelled.scenarioInstance === null) continue;
    const ts = Date.parse(labelled.payment.ts);
    const w = byInstance.get(labelled.scenarioInstance);
    if (w) {
      w.fromMs = Math.min(w.fromMs, ts);
      w.toMs = Math.max(w.toMs, ts);
    } else
      byInstance.set(labelled.scenarioInstance, { cardId: labelled.payment.cardId, fromMs: ts, toMs: ts });
  }
  const out = new Map<string, { fromMs: number; toMs: number }[]>();
  for (const w of byInstance.values()) out.set(w.cardId, [...(out.get(w.cardId) ?? []), w]);
  return out;
}
