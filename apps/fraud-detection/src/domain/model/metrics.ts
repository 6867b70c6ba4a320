/** Evaluation of scores against labels (1 = fraud): confusion counts, precision/recall, exact ROC AUC. */

export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface PrecisionRecall {
  /** tp / (tp + fp); 0 when nothing is flagged */
  readonly precision: number;
  /** tp / (tp + fn); 0 when there are no positives */
  readonly recall: number;
  readonly f1: number;
}

type Labels = ArrayLike<number | boolean>;

/** Counts at "flagged when score ≥ threshold". */
export function confusionAt(scores: ArrayLike<number>, labels: Labels, threshold: number): Confusion {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = (scores[i] ?? 0) >= threshold;
    const positive = Boolean(labels[i]);
    if (flagged && positive) tp++;
    else if (flagged) fp++;
    else if (positive) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

export function precisionRecall({ tp, fp, fn }: Confusion): PrecisionRecall {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Area under the ROC curve, exactly: the probability that a random positive scores above a random
 * negative (Mann–Whitney U from ranks; ties count one half). NaN when a class is missing.
 */
export function rocAuc(scores: ArrayLike<number>, labels: Labels): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    const value = scores[order[start] ?? 0];
    while (end + 1 < order.length && scores[order[end + 1] ?? 0] === value) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let k = start; k <= end; k++) {
      if (labels[order[k] ?? 0]) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The threshold with the best F1 (ties: the higher threshold, i.e. fewer alerts). Every distinct
 * score is a candidate; with `minPrecision`, only thresholds reaching it count (if none does,
 * the best F1 overall is returned).
 */
export function chooseThreshold(
  scores: ArrayLike<number>,
  labels: Labels,
  options: { minPrecision?: number } = {},
): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0),
  );
  let totalPositives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) totalPositives++;
  let tp = 0;
  let fp = 0;
  let best = { f1: -1, threshold: 1 };
  let bestConstrained = { f1: -1, threshold: 1 };
  for (let k = 0; k < order.length; k++) {
    const i = order[k] ?? 0;
    if (labels[i]) tp++;
    else fp++;
    const score = scores[i] ?? 0;
    // only at the end of a run of equal scores is "≥ score" a real cut
    if (k + 1 < order.length && scores[order[k + 1] ?? 0] === score) continue;
    const { precision, f1 } = precisionRecall({ tp, fp, tn: 0, fn: totalPositives - tp });
    if (f1 > best.f1) best = { f1, threshold: score };
    if (options.minPrecision !== undefined && precision >= options.minPrecision && f1 > bestConstrained.f1)
      bestConstrained = { f1, threshold: score };
  }
  return bestConstrained.f1 >= 0 ? bestConstrained.threshold : best.threshold;
}

/** Precision, recall and ROC AUC at a threshold (chosen for best F1 when not given). */
export function evaluateScores(
  scores: ArrayLike<number>,
  labels: Labels,
  threshold: number = chooseThreshold(scores, labels),
): { precision: number; recall: number; rocAuc: number; threshold: number } {
  const { precision, recall } = precisionRecall(confusionAt(scores, labels, threshold));
  return { precision, recall, rocAuc: rocAuc(scores, labels), threshold };
}
