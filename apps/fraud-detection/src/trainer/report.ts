import type { TrainingResult } from './train.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The trainer's report, for people: sizes, held-out metrics, confusion matrix, the weights. */
export function formatTrainingReport(result: TrainingResult): string {
  const { model, testConfusion: c } = result;
  const m = model.metrics;
  const weights = model.featureNames
    .map((name, j) => ({ name, w: model.weights[j] ?? 0 }))
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
    .map(({ name, w }) => `  ${name.padEnd(34)} ${w >= 0 ? '+' : ''}${w.toFixed(3)}`);
  return [
    `model ${model.version}`,
    `train: ${m.trainSize} payments (${result.trainPositives} fraud), earlier ${pct(m.trainSize / (m.trainSize + m.testSize))} by event time`,
    `test:  ${m.testSize} payments (${result.testPositives} fraud), the later part`,
    `held-out at threshold ${m.threshold.toFixed(3)} (best F1 on train): precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, ROC AUC ${m.rocAuc.toFixed(3)}`,
    'confusion (test):        predicted fraud   predicted legit',
    `  actual fraud     ${String(c.tp).padStart(16)} ${String(c.fn).padStart(17)}`,
    `  actual legit     ${String(c.fp).padStart(16)} ${String(c.tn).padStart(17)}`,
    'weights (standardised features, by magnitude):',
    ...weights,
    `  bias ${model.bias.toFixed(3)}`,
  ].join('\n');
}
