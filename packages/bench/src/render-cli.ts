/**
 * `node packages/bench/src/render-cli.ts results/bench/<time>`: writes BENCHMARKS.md and its plots again
 * from that run's results.json, e.g. after a change to the report's format. Measures nothing.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './results.ts';
import { writeRootReport } from './root-report.ts';

const runDir = process.argv[2];
if (runDir === undefined || process.argv.length > 3) {
  process.stderr.write('usage: node packages/bench/src/render-cli.ts <run dir with results.json>\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../..', import.meta.url));
const results = JSON.parse(await readFile(resolve(runDir, 'results.json'), 'utf8')) as BenchResults;
if (results.interrupted) {
  process.stderr.write(`${runDir}: an interrupted run does not make BENCHMARKS.md\n`);
  process.exit(1);
}
const file = await writeRootReport(root, resolve(runDir), results, (line) =>
  process.stderr.write(`${line}\n`),
);
process.stdout.write(`wrote ${file}\n`);
