// `pnpm --filter @streamkit/fraud-detection quality [--train-seed 1] [--eval-seed 2] [--cards 2000] [--train-days 14] [--eval-days 7]`
// Exits 1 when detection quality is below the bar (scenario recall ≥ 0.90, payment precision ≥ 0.80).
import { parseArgs } from 'node:util';
import { formatQualityReport } from './format.ts';
import { runQuality } from './run-quality.ts';

const { values } = parseArgs({
  options: {
    'train-seed': { type: 'string', default: '1' },
    'eval-seed': { type: 'string', default: '2' },
    cards: { type: 'string', default: '2000' },
    'train-days': { type: 'string', default: '14' },
    'eval-days': { type: 'string', default: '7' },
  },
});
const settings = {
  trainSeed: Number(values['train-seed']),
  evalSeed: Number(values['eval-seed']),
  cards: Number(values.cards),
  trainDays: Number(values['train-days']),
  evalDays: Number(values['eval-days']),
};
const started = performance.now();
const { model, report } = runQuality(settings);
console.log(
  `trained ${model.version} on seed ${settings.trainSeed} (${settings.cards} cards × ${settings.trainDays} days): held-out precision ${model.metrics.precision.toFixed(3)}, recall ${model.metrics.recall.toFixed(3)}, ROC AUC ${model.metrics.rocAuc.toFixed(3)}`,
);
console.log(
  `evaluated on seed ${settings.evalSeed} (${settings.cards} cards × ${settings.evalDays} days, first day warm-up) with the default rules and that model:`,
);
console.log(formatQualityReport(report));
console.log(`(${Math.round(performance.now() - started)} ms)`);
if (!report.passed) process.exitCode = 1;
