/**
 * The committed report: BENCHMARKS.md at the repository root and the plots it shows in
 * docs/benchmarks/ (results/ is git-ignored, so they are copied there). Written by a full run, or
 * again from a saved run's results.json by `node packages/bench/src/render-cli.ts <run dir>`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderBenchMarkdown } from './markdown.ts';
import type { BenchResults } from './results.ts';

/** Where the plots BENCHMARKS.md shows live, relative to the repository root. */
export const committedPlotsDir = 'docs/benchmarks';

/** Writes BENCHMARKS.md (formatted like the rest of the repository) and its plots; returns its path. */
export async function writeRootReport(
  root: string,
  runDir: string,
  results: BenchResults,
  warn: (line: string) => void,
): Promise<string> {
  const plotsDir = join(root, committedPlotsDir);
  await rm(plotsDir, { recursive: true, force: true });
  await mkdir(plotsDir, { recursive: true });
  const plots = results.pipelines.flatMap((p) => p.scenarios.flatMap((s) => s.stateSize?.plot ?? []));
  for (const plot of plots) await copyFile(join(runDir, plot), join(plotsDir, plot));

  const rootFile = join(root, 'BENCHMARKS.md');
  await writeFile(
    rootFile,
    renderBenchMarkdown(results, { plotLink: (file) => `${committedPlotsDir}/${file}` }),
  );
  // aligned tables, so `pnpm format` leaves the committed file alone
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'biome'), [
    'format',
    '--write',
    rootFile,
  ]).catch(() => warn('bench: could not format BENCHMARKS.md with biome (left unaligned)'));
  return rootFile;
}
