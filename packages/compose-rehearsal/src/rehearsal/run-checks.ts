import { ingressChecks } from '../checks/index.ts';
import type { ServiceRunner } from '../container/service-runner.ts';
import type { Isolation } from '../isolation.ts';
import type { ProjectNetwork } from '../network/project-network.ts';
import type { OtlpRecorder } from '../stand-ins/otlp-recorder.ts';
import type { PrivateMosquittoStandIn } from '../stand-ins/private-mosquitto.ts';
import type { RehearsalPlan } from './plan.ts';
import { type Progress, seconds } from './progress.ts';
import type { RehearsalOptions } from './rehearse.ts';
import type { CheckOutcome } from './report.ts';
import { traceFindings } from './traces.ts';

/** Per service of ours: why it is not ready, or undefined when it is. */
export type Readiness = ReadonlyMap<string, string | undefined>;

/** One event at each selected profile's ingress must reach its output; with a collector, its spans too. */
export async function runChecks(context: {
  options: RehearsalOptions;
  plan: RehearsalPlan;
  runners: ReadonlyMap<string, ServiceRunner>;
  network: ProjectNetwork;
  ready: Readiness;
  checks: CheckOutcome[];
  failures: string[];
  progress: Progress;
  isolation: Isolation;
}): Promise<void> {
  const { options, plan, network, ready, checks, failures, progress, isolation } = context;
  for (const [name, why] of ready)
    if (why !== undefined && !failures.some((f) => f.startsWith(name))) failures.push(`${name} ${why}`);
  const passedChecks = [];
  for (const check of ingressChecks.filter((c) => options.profiles.includes(c.profile))) {
    const unavailable = check.path.filter((s) => {
      const role = plan.roles.get(s);
      return role === undefined || role.kind === 'not rehearsed';
    });
    if (unavailable.length > 0) {
      checks.push({
        profile: check.profile,
        describe: check.describe,
        result: 'not run',
        detail: `${unavailable.join(', ')} not rehearsed`,
      });
      progress.step(`check ${check.profile}: not run — ${unavailable.join(', ')} not rehearsed`);
      continue;
    }
    const notReady = check.path.filter(
      (s) => plan.roles.get(s)?.kind === 'ours' && ready.get(s) !== undefined,
    );
    if (notReady.length > 0) {
      checks.push({
        profile: check.profile,
        describe: check.describe,
        result: 'not run',
        detail: `${notReady.join(', ')} not ready`,
      });
      failures.push(`check ${check.profile} not run: ${notReady.join(', ')} not ready`);
      continue;
    }
    progress.step(`check ${check.profile}: ${check.describe} …`);
    const started = Date.now();
    try {
      const detail = await check.run({
        published: (service, port) => network.published(service, port),
        environment: (service) => plan.services.find((s) => s.name === service)?.environment ?? {},
        mqttUrl: mqttUrlOf(plan) ?? options.infra.mqttUrl,
        id: isolation.id,
        timeoutMs: options.checkTimeoutMs ?? 60_000,
      });
      progress.step(`check ${check.profile}: passed in ${seconds(Date.now() - started)} — ${detail}`);
      checks.push({ profile: check.profile, describe: check.describe, result: 'passed', detail });
      passedChecks.push(check);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress.step(`check ${check.profile}: FAILED — ${message}`);
      checks.push({ profile: check.profile, describe: check.describe, result: 'failed', detail: message });
      const tails = check.path.flatMap((name) => {
        const lines = context.runners.get(name)?.container.logs.tail(4) ?? [];
        return lines.length === 0
          ? []
          : [`${name}'s last output:`, ...lines.map((l) => `  ${l.slice(0, 400)}`)];
      });
      failures.push(`check ${check.profile} (${check.describe}): ${message}\n${tails.join('\n')}`);
    }
  }
  const collector = plan.services
    .map((s) => plan.roles.get(s.name))
    .find((r) => r?.kind === 'stand-in' && 'spansByService' in r.standIn);
  if (collector?.kind === 'stand-in') {
    const recorder = collector.standIn as OtlpRecorder;
    failures.push(...(await traceFindings(recorder, passedChecks, progress)));
  }
}

/** Where the checks reach the compose `mosquitto`: its private stand-in, if it has one. */
function mqttUrlOf(plan: RehearsalPlan): string | undefined {
  const role = plan.roles.get('mosquitto');
  if (role?.kind !== 'stand-in' || !('brokerUrl' in role.standIn)) return undefined;
  return (role.standIn as PrivateMosquittoStandIn).brokerUrl();
}
