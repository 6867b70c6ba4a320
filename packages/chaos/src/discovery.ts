/**
 * Which chaos plans exist: every app whose package.json declares `"streamkit": { "chaos":
 * "./src/chaos.ts" }` (loaded by path, so this package never imports an app).
 */
import { discoverAppModules } from '@streamkit/demo';
import type { ChaosPlan } from './plan.ts';

export interface PlanDiscovery {
  readonly plans: readonly ChaosPlan[];
  /** Apps whose plan could not be loaded, as messages; the others stay usable. */
  readonly problems: readonly string[];
}

export async function discoverChaosPlans(appsRoot: string): Promise<PlanDiscovery> {
  const { found, problems } = await discoverAppModules(appsRoot, {
    field: 'chaos',
    what: 'ChaosPlan',
    accepts: (value): value is ChaosPlan => {
      const plan = value as Partial<ChaosPlan> | undefined;
      return (
        typeof plan?.pipeline === 'string' &&
        Array.isArray(plan.services) &&
        typeof plan.verify === 'function'
      );
    },
  });
  return { plans: found, problems };
}
