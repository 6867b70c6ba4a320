/**
 * Which bench plans exist: every app whose package.json declares `"streamkit": { "bench":
 * "./src/bench.ts" }` (loaded by path, so this package never imports an app).
 */
import { discoverAppModules } from '@streamkit/demo';
import type { BenchPlan } from './plan.ts';

export interface PlanDiscovery {
  readonly plans: readonly BenchPlan[];
  /** Apps whose plan could not be loaded, as messages; the others stay usable. */
  readonly problems: readonly string[];
}

export async function discoverPlans(appsRoot: string): Promise<PlanDiscovery> {
  const { found, problems } = await discoverAppModules(appsRoot, {
    field: 'bench',
    what: 'BenchPlan',
    accepts: (value): value is BenchPlan => {
      const plan = value as Partial<BenchPlan> | undefined;
      return (
        typeof plan?.pipeline === 'string' && Array.isArray(plan.scenarios) && Array.isArray(plan.services)
      );
    },
  });
  return { plans: found, problems };
}
