/**
 * Which bench plans exist: every app whose package.json declares `"streamkit": { "bench":
 * "./src/bench.ts" }`. Loaded by path, so this package never imports an app.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchPlan } from './plan.ts';

export interface PlanDiscovery {
  readonly plans: readonly BenchPlan[];
  /** Apps whose plan could not be loaded, as messages; the others stay usable. */
  readonly problems: readonly string[];
}

export async function discoverPlans(appsRoot: string): Promise<PlanDiscovery> {
  const plans: BenchPlan[] = [];
  const problems: string[] = [];
  let entries: string[] = [];
  try {
    entries = (await readdir(appsRoot, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return { plans, problems };
  }
  for (const entry of entries.sort()) {
    const appDir = join(appsRoot, entry);
    let bench: unknown;
    try {
      const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as {
        streamkit?: { bench?: unknown };
      };
      bench = manifest.streamkit?.bench;
    } catch {
      continue; // no package.json: not an app
    }
    if (bench === undefined) continue;
    if (typeof bench !== 'string') {
      problems.push(`${entry}: "streamkit.bench" must be a path like "./src/bench.ts"`);
      continue;
    }
    try {
      const module = (await import(pathToFileURL(resolve(appDir, bench)).href)) as { default?: unknown };
      const plan = module.default as BenchPlan | undefined;
      if (
        typeof plan?.pipeline !== 'string' ||
        !Array.isArray(plan.scenarios) ||
        !Array.isArray(plan.services)
      ) {
        problems.push(`${entry}: ${bench} must export a BenchPlan as default`);
        continue;
      }
      plans.push(plan);
    } catch (error) {
      problems.push(
        `${entry}: cannot load ${bench}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { plans, problems };
}
