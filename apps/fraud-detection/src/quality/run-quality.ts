/**
 * The quality evaluation: train on history from seed A (in memory, through the same per-payment
 * step as the detector), then decide a stream from seed B — which training never saw — with the
 * default rules and the trained model, and compare with the labels.
 */
import { createOfflineDetector, defaultRules, type StoredModel } from '../domain/index.ts';
import { createScoringModel } from '../domain/model/index.ts';
import { generatePayments } from '../generator/stream.ts';
import { buildDataset } from '../trainer/dataset.ts';
import { trainAndEvaluate } from '../trainer/train.ts';
import { evaluateQuality, type QualityReport } from './evaluate.ts';

const DAY = 86_400_000;

export interface QualitySettings {
  readonly trainSeed: number;
  readonly evalSeed: number;
  readonly cards: number;
  readonly trainDays: number;
  readonly evalDays: number;
  /** evaluation payments in the first day are decided (to build card histories) but not counted */
  readonly warmupMs?: number;
}

export interface QualityRun {
  readonly model: StoredModel;
  readonly report: QualityReport;
}

export function runQuality(settings: QualitySettings): QualityRun {
  if (settings.trainSeed === settings.evalSeed)
    throw new RangeError('the evaluation seed must differ from the training seed');
  const trainStart = Date.UTC(2026, 0, 1);
  const history = generatePayments({
    seed: settings.trainSeed,
    cards: settings.cards,
    days: settings.trainDays,
    startMs: trainStart,
  });
  // the trainer reads history ordered by event time; do the same
  history.sort((a, b) => Date.parse(a.payment.ts) - Date.parse(b.payment.ts));
  const { model } = trainAndEvaluate(buildDataset(history, { rules: defaultRules }), {
    createdAt: new Date(trainStart),
  });

  const warmupMs = settings.warmupMs ?? DAY;
  const evalStart = trainStart + (settings.trainDays + 7) * DAY;
  const stream = generatePayments({
    seed: settings.evalSeed,
    cards: settings.cards,
    days: settings.evalDays,
    startMs: evalStart,
    warmupMs,
  });
  const detector = createOfflineDetector({ rules: defaultRules, model: createScoringModel(model) });
  const decided = stream.map((labelled) => {
    const d = detector.process(labelled.payment);
    return { labelled, decision: d.decision, reasons: d.reasons };
  });
  return { model, report: evaluateQuality(decided, { evaluateFromMs: evalStart + warmupMs }) };
}
