/**
 * `pnpm fuzz [--runs N] [--seed S] [--only <app>]`: the long fuzz round. Runs every ingress's fuzz
 * suite (apps/<app>/test/fuzz.*.test.ts) with FUZZ_RUNS=N (default 10,000) inputs per ingress, one
 * app after another, and prints each ingress's figures and the load average. Exit 1 when a suite
 * failed (its counterexample and seed are in the vitest output above the table).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { findRepoRoot } from '../repo-root.ts';
import type { FuzzFigures } from './fuzz-ingress.ts';

/** The apps with a fuzz suite, and what each fuzzes. */
const SUITES = [
  { app: 'fraud-detection', ingress: 'gateway POST /payments' },
  { app: 'recommendations', ingress: 'recs POST /events' },
  { app: 'iot', ingress: 'hub /ingest + MQTT, analytics POST /api/sql' },
  { app: 'analytics-dashboard', ingress: 'shipper POST /logs + log-file lines' },
] as const;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs must be a positive integer, not ${values.runs}`);
  process.exit(2);
}
const root = findRepoRoot();
const dir = mkdtempSync(join(tmpdir(), 'streamkit-fuzz-'));
const report = join(dir, 'figures.jsonl');
const loadBefore = loadavg()[0] ?? 0;
const started = performance.now();
let failed = false;

for (const suite of SUITES.filter((s) => values.only === undefined || s.app === values.only)) {
  console.log(`\nfuzz: ${suite.app} (${suite.ingress}), ${runs} inputs per ingress`);
  const code = await run('pnpm', ['exec', 'vitest', 'run', 'test/fuzz.', '--testTimeout', '3600000'], {
    cwd: join(root, 'apps', suite.app),
    env: processEnvironment({
      FUZZ_RUNS: String(runs),
      FUZZ_REPORT: report,
      ...(values.seed === undefined ? {} : { FUZZ_SEED: values.seed }),
    }),
  });
  if (code !== 0) failed = true;
}

const figures = readFigures(report);
rmSync(dir, { recursive: true, force: true });
console.log(
  `\n| ingress | inputs | accepted | rejected (4xx / dead-lettered) | 5xx | topic records valid | s | inputs/s | load |`,
);
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const f of figures) {
  const rejected = Object.entries(f.rejected)
    .map(([status, n]) => `${n}×${status}`)
    .join(', ');
  console.log(
    `| ${f.ingress} | ${f.inputs} | ${f.accepted} | ${rejected} | ${f.serverErrors} | ${f.topicRecords ?? '–'} | ${f.seconds} | ${f.inputsPerSecond} | ${f.loadAverage} |`,
  );
}
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
console.log(
  `\n${figures.reduce((n, f) => n + f.inputs, 0)} inputs in ${minutes} min; load average ${loadBefore.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end${failed ? '; A SUITE FAILED (see above)' : ''}`,
);
process.exit(failed ? 1 : 0);

function run(command: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function readFigures(file: string): FuzzFigures[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as FuzzFigures);
  } catch {
    return [];
  }
}
