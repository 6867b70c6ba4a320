/**
 * Training rows from labelled history: every payment goes through the detector's own per-payment
 * step (createOfflineDetector → decidePayment), in event-time order, so each row holds exactly the
 * features the detector computes online for that payment. No train/serve skew by construction.
 */
import type { Payment } from '@streamkit/schemas';
import { createOfflineDetector, FEATURE_NAMES, type PatternSettings, type Rule } from '../domain/index.ts';

export interface LabelledRecord {
  readonly payment: Payment;
  readonly isFraud: boolean;
}

export interface Dataset {
  readonly featureNames: readonly string[];
  readonly rows: Float64Array[];
  readonly labels: Uint8Array;
  readonly tsMs: Float64Array;
}

export interface DatasetOptions {
  readonly rules: readonly Rule[];
  readonly patternSettings?: PatternSettings;
}

/** `records` must be in event-time order (the trainer reads them `order by ts`). */
export function buildDataset(records: Iterable<LabelledRecord>, options: DatasetOptions): Dataset {
  // features do not depend on the model; rules are given so the step is exactly the online one
  const detector = createOfflineDetector({
    rules: options.rules,
    model: null,
    ...(options.patternSettings === undefined ? {} : { patternSettings: options.patternSettings }),
  });
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const ts: number[] = [];
  for (const record of records) {
    const decision = detector.process(record.payment);
    if (decision.duplicate) continue;
    rows.push(decision.features.values);
    labels.push(record.isFraud ? 1 : 0);
    ts.push(Date.parse(record.payment.ts));
  }
  return {
    featureNames: [...FEATURE_NAMES],
    rows,
    labels: Uint8Array.from(labels),
    tsMs: Float64Array.from(ts),
  };
}

/** The earlier `trainFraction` of the rows (by event time) for training, the rest for testing. */
export function splitByTime(dataset: Dataset, trainFraction = 0.8): { train: Dataset; test: Dataset } {
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const cut = Math.floor(dataset.rows.length * trainFraction);
  const part = (from: number, to: number): Dataset => ({
    featureNames: dataset.featureNames,
    rows: dataset.rows.slice(from, to),
    labels: dataset.labels.slice(from, to),
    tsMs: dataset.tsMs.slice(from, to),
  });
  return { train: part(0, cut), test: part(cut, dataset.rows.length) };
}
