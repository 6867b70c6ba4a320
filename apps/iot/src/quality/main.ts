// `pnpm --filter @streamkit/iot quality [--seed 1] [--hours 6] [--start 2026-05-01T06:00:00Z]`
// The anomaly detector on the demo's fleet with labelled faults; exits 1 below the bar of issue 18.
import { parseArgs } from 'node:util';
import { formatAnomalyQuality, passes } from './format.ts';
import { defaultQualitySettings, runAnomalyQuality } from './run-quality.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(defaultQualitySettings.fleet.seed) },
    hours: { type: 'string', default: String(defaultQualitySettings.hours) },
    start: { type: 'string', default: new Date(defaultQualitySettings.startMs).toISOString() },
  },
});
const seed = Number(values.seed);
const settings = {
  fleet: { ...defaultQualitySettings.fleet, seed },
  hours: Number(values.hours),
  startMs: Date.parse(values.start),
};
const problems = [
  Number.isInteger(seed) ? [] : [`--seed: expected an integer, got "${values.seed}"`],
  settings.hours > 0 && settings.hours <= 168
    ? []
    : [`--hours: expected hours in (0, 168], got "${values.hours}"`],
  Number.isFinite(settings.startMs) ? [] : [`--start: expected an ISO-8601 time, got "${values.start}"`],
].flat();
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(2);
}
const started = performance.now();
const quality = runAnomalyQuality(settings);
console.log(formatAnomalyQuality(quality));
console.log(`(${Math.round(performance.now() - started)} ms)`);
if (!passes(quality)) process.exitCode = 1;
