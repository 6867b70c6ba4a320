/**
 * Which chaos plans exist: every app whose package.json declares `"streamkit": { "chaos":
 * "./src/chaos.ts" }`. Loaded by path, so this package never imports an app.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChaosPlan } from './plan.ts';

export interface PlanDiscovery {
  readonly plans: readonly ChaosPlan[];
  /** Apps whose plan could not be loaded, as messages; the others stay usable. */
  readonly problems: readonly string[];
}

export async function discoverChaosPlans(appsRoot: string): Promise<PlanDiscovery> {
  const plans: ChaosPlan[] = [];
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
    let chaos: unknown;
    try {
      const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as {
        streamkit?: { chaos?: unknown };
      };
      chaos = manifest.streamkit?.chaos;
    } catch {
      continue; // no package.json: not an app
    }
    if (chaos === undefined) continue;
    if (typeof chaos !== 'string') {
      problems.push(`${entry}: "streamkit.chaos" must be a path like "./src/chaos.ts"`);
      continue;
    }
    try {
      const module = (await import(pathToFileURL(resolve(appDir, chaos)).href)) as { default?: unknown };
      const plan = module.default as ChaosPlan | undefined;
      if (
        typeof plan?.pipeline !== 'string' ||
        !Array.isArray(plan.services) ||
        typeof plan.verify !== 'function'
      ) {
        problems.push(`${entry}: ${chaos} must export a ChaosPlan as default`);
        continue;
      }
      plans.push(plan);
    } catch (error) {
      problems.push(
        `${entry}: cannot load ${chaos}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { plans, problems };
}
