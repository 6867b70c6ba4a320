import type { ServiceRunner } from '../container/service-runner.ts';
import type { RehearsalPlan } from './plan.ts';
import { seconds } from './progress.ts';
import type { ServiceOutcome } from './report.ts';

/** Each service's end state for the report: stand-in, not rehearsed, healthy, completed, exited… */
export function outcomes(plan: RehearsalPlan, runners: ReadonlyMap<string, ServiceRunner>): ServiceOutcome[] {
  return plan.services.map((s) => {
    const role = plan.roles.get(s.name);
    if (role?.kind === 'stand-in')
      return { name: s.name, state: 'stand-in', detail: role.standIn.description };
    if (role?.kind === 'not rehearsed') return { name: s.name, state: 'not rehearsed', detail: role.reason };
    const runner = runners.get(s.name);
    if (runner === undefined || runner.runs === 0) return { name: s.name, state: 'not started', detail: '' };
    const exits = runner.exits.filter((e) => e.code !== 0 || e.willRestart);
    const health = runner.health;
    const lastExit = runner.exits.at(-1);
    // a one-shot that exited 0 is completed, as `docker compose ps` shows it, even when a
    // healthcheck probe happened to pass before it exited
    const state =
      lastExit?.code === 0 && !lastExit.willRestart && runner.exits.length === runner.runs
        ? 'completed'
        : health?.status === 'healthy' || health?.status === 'unhealthy'
          ? health.status
          : runner.exits.length > 0
            ? 'exited'
            : 'started';
    const detail = [
      runner.healthyAfterMs === undefined ? undefined : `healthy after ${seconds(runner.healthyAfterMs)}`,
      health === undefined || health.probes.length === 0
        ? undefined
        : `slowest probe ${seconds(health.slowestProbeMs())} of ${seconds(s.healthcheck?.timeoutMs ?? 0)} allowed`,
      runner.runs > 1 ? `${runner.runs} runs` : undefined,
      exits.length > 0 ? `exit codes ${exits.map((e) => e.code).join(', ')}` : undefined,
    ]
      .filter((x) => x !== undefined)
      .join('; ');
    return { name: s.name, state, detail };
  });
}
