import { env, loadConfig } from '@streamkit/config';

/**
 * How much a fuzz suite generates: FUZZ_RUNS inputs per ingress (the test suite's short round by
 * default; `pnpm fuzz --runs 10000` sets it for the long round), FUZZ_SEED to replay a failure
 * (fast-check prints the seed and path of every counterexample), FUZZ_REPORT a file each ingress
 * appends its figures to (one JSON line) for the `pnpm fuzz` summary.
 */
export const fuzzEnv = Object.freeze({
  runs: env.int('FUZZ_RUNS', { default: 200, min: 1, max: 10_000_000 }),
  seed: env.int('FUZZ_SEED', { optional: true }),
  report: env.string('FUZZ_REPORT', { optional: true }),
});

export type FuzzSettings = { readonly runs: number; readonly seed?: number; readonly report?: string };

export function loadFuzzSettings(source?: Record<string, string | undefined>): FuzzSettings {
  return loadConfig(fuzzEnv, source);
}
