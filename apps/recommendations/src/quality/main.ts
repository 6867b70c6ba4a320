// `pnpm --filter @streamkit/recommendations quality`: prints the offline quality bar; exits 1 below it.
import { formatQuality, REQUIRED_LIFT } from './format.ts';
import { runQuality } from './run-quality.ts';

const result = runQuality();
console.log(formatQuality(result));
if (result.lift < REQUIRED_LIFT) process.exitCode = 1;
