/**
 * One chaos run: private infrastructure → prepare → services → load through the pipeline's loadgen
 * scenario with the seeded faults injected on schedule → wait for the accepted operations' effects
 * → wait for the later stages' outputs → stop the services → compare every output with the
 * reference → stop the infrastructure.
 */
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createIntervalTicker, createMonotonicClock, runLoad, scenarioOptions } from '@streamkit/loadgen';
import { type FaultKind, planFaults } from './faults.ts';
import { createFleet } from './fleet.ts';
import { startPrivateInfra } from './infra/private-infra.ts';
import { type InjectedFault, injectFault } from './inject.ts';
import { trackLoad } from './load-tracker.ts';
import type { ChaosPlan, ChaosVerifyContext } from './plan.ts';
import { recoveryMs } from './recovery.ts';
import type { ChaosResult, ChaosSettings, FaultOutcome } from './result.ts';

export interface ChaosDependencies {
  readonly repoRoot: string;
  readonly parentEnv: Readonly<Record<string, string>>;
  /** Where services.log, report.md and result.json go. */
  readonly outDir: string;
  readonly command: string;
  readonly log: (line: string) => void;
  /** Aborting (Ctrl-C) ends the load early; services and infrastructure are still stopped. */
  readonly signal: AbortSignal;
}

/** The fault kinds a plan's pipeline can take. */
export function supportedKinds(plan: ChaosPlan): FaultKind[] {
  const kinds: FaultKind[] = ['kill-service'];
  if (plan.needs.includes('kafka')) kinds.push('kafka-restart');
  if (plan.needs.includes('postgres')) kinds.push('postgres-restart');
  if (plan.needs.includes('redis')) {
    kinds.push(plan.redis?.onLoss === 'rebuilt' ? 'redis-data-loss' : 'redis-restart');
  }
  if (plan.needs.includes('mqtt')) kinds.push('mosquitto-restart');
  if (plan.services.some((s) => s.replicable)) kinds.push('replica-join', 'replica-leave');
  return kinds;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The load goes on at most this long past --duration while faults are still being injected. */
const maxOverrunS = 3600;

export async function runChaos(
  plan: ChaosPlan,
  settings: ChaosSettings,
  deps: ChaosDependencies,
): Promise<ChaosResult> {
  const { log } = deps;
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const supported = supportedKinds(plan);
  const kinds =
    settings.kinds === undefined ? supported : settings.kinds.filter((k) => supported.includes(k));
  if (kinds.length === 0) throw new Error(`${plan.pipeline} supports none of the fault kinds asked for`);
  const schedule = planFaults({
    faults: settings.faults,
    seed: settings.seed,
    durationS: settings.durationS,
    kinds,
  });
  log(`faults planned: ${schedule.map((f) => `${f.atS}s ${f.kind}`).join(', ') || 'none'}`);

  await mkdir(deps.outDir, { recursive: true });
  const logFile = join(deps.outDir, 'services.log');
  const infra = await startPrivateInfra(plan.needs, deps.repoRoot, deps.parentEnv, log);
  const fleet = createFleet({
    infra: infra.addresses,
    parentEnv: deps.parentEnv,
    readyTimeoutMs: 120_000,
    logFile,
    log,
  });
  const failures: string[] = [];
  try {
    await plan.prepare?.(infra.addresses);
    await fleet.startAll(plan.services);
    const ports = Object.fromEntries(fleet.instances.map((i) => [i.spec.name, i.port]));
    const tracker = trackLoad(plan.scenario);
    const injected: InjectedFault[] = [];
    // the load runs for the duration and on until the faults are over and the pipeline had time
    // to show its recovery under load: faults that overrun their slot still get measured
    const endLoad = new AbortController();
    const loadSignal = AbortSignal.any([deps.signal, endLoad.signal]);
    const faultsDone = (async () => {
      const loadStartMs = await tracker.firstSend;
      for (const fault of schedule) {
        const wait = loadStartMs + fault.atS * 1000 - Date.now();
        if (wait > 0) await pause(wait);
        if (deps.signal.aborted) return;
        log(`fault ${fault.index + 1}/${schedule.length}: ${fault.kind}`);
        const outcome = await injectFault(fault, fleet, infra);
        log(
          `fault ${fault.index + 1}: ${outcome.target} (${((outcome.endedAtMs - outcome.startedAtMs) / 1000).toFixed(1)} s)${outcome.failure ? ` FAILED: ${outcome.failure}` : ''}`,
        );
        injected.push(outcome);
      }
    })();
    void (async () => {
      const loadStartMs = await tracker.firstSend;
      await pause(settings.durationS * 1000);
      await faultsDone;
      const lastEnd = Math.max(0, ...injected.map((f) => f.endedAtMs));
      const settleMs = Math.max(5000, settings.durationS * 200);
      await pause(
        Math.max(0, lastEnd + settleMs - Date.now(), loadStartMs + settings.durationS * 1000 - Date.now()),
      );
      endLoad.abort(new Error('load done'));
    })();
    const loadResult = await runLoad(
      {
        scenario: tracker.scenario,
        options: scenarioOptions(plan.scenario, plan.scenarioOptions?.(ports) ?? {}),
        settings: {
          rate: settings.rate,
          // ended by endLoad: the duration, then until the faults are over (see above)
          durationS: settings.durationS + maxOverrunS,
          warmupS: 0,
          // the scenario's teardown stops observing effects: the drain must wait for them
          drainS: settings.drainS,
          maxInFlight: 100_000,
        },
        environment: {
          kafkaBrokers: infra.addresses.kafkaBrokers,
          kafkaClientId: 'chaos-loadgen',
          databaseUrl: infra.addresses.databaseUrl,
          redisUrl: infra.addresses.redisUrl,
          mqttUrl: infra.addresses.mqttUrl,
        },
      },
      {
        clock: createMonotonicClock(),
        ticker: createIntervalTicker(),
        signal: loadSignal,
        log: (line) => log(line),
      },
    ).catch((error: unknown) => {
      failures.push(`load failed: ${(error as Error).message}`);
      return undefined;
    });
    await faultsDone;
    log(`load done: ${tracker.outstanding()} accepted operations without a visible effect`);
    await settleOutputs(
      plan,
      { infra: infra.addresses, load: tracker.snapshot(), log },
      settings.drainS,
      deps.signal,
    );
    const clean = await fleet.stopAll();
    if (!clean) log('not every service stopped on SIGTERM (killed)');

    const load = tracker.snapshot();
    const verifyAbort = AbortSignal.any([deps.signal, AbortSignal.timeout(180_000)]);
    const checks = await plan.verify({ infra: infra.addresses, load, log, signal: verifyAbort });
    const faults: FaultOutcome[] = injected.map((f) => ({ ...f, recoveryMs: recoveryMs(f, tracker) }));
    for (const f of faults) {
      if (f.failure !== undefined)
        failures.push(`fault ${f.index + 1} (${f.kind}) not carried out: ${f.failure}`);
      const kept = /^(\d+)\/(\d+) sampled Redis keys/.exec(f.finding ?? '');
      if (kept !== null && kept[1] !== kept[2]) failures.push(`fault ${f.index + 1}: ${f.finding}`);
    }
    const lost = checks.reduce((sum, c) => sum + c.lost, 0);
    const duplicated = checks.reduce((sum, c) => sum + c.duplicated, 0);
    if (lost > 0) failures.push(`${lost} lost`);
    if (duplicated > 0) failures.push(`${duplicated} duplicated`);
    if (deps.signal.aborted) failures.push('interrupted');
    const recoveries = faults.map((f) => f.recoveryMs);
    return {
      pipeline: plan.pipeline,
      command: deps.command,
      settings,
      startedAt,
      loadStartedAtMs: await Promise.race([tracker.firstSend, Promise.resolve(Date.now())]),
      ...(plan.redis === undefined
        ? {}
        : { redisHolds: `${plan.redis.holds} (${plan.redis.onLoss} on loss)` }),
      faults,
      sent: load.accepted.size + load.refused.size,
      accepted: load.accepted.size,
      refused: load.refused.size,
      refusedByKind: loadResult?.measured.counts.errors ?? {},
      checks,
      lost,
      duplicated,
      longestRecoveryMs: recoveries.includes(undefined)
        ? undefined
        : Math.max(0, ...(recoveries as number[])),
      unexpectedExits: fleet.unexpectedExits(),
      failures,
      loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      logFile,
    };
  } finally {
    await fleet.stopAll().catch(() => false);
    await plan.cleanup?.().catch((error: unknown) => log(`cleanup failed: ${(error as Error).message}`));
    await infra.close();
  }
}

/**
 * A load's visible effect is its pipeline's first output (a decision, a logged event); the later
 * stages (alerts stored, views refreshed) may still be on their last records when it is seen, and a
 * stop then would cut them off mid-drain: a restart would resume them, but the check after the stop
 * would count them lost. So the outputs are checked, quietly, until nothing is missing or the drain
 * time is up; the recorded check runs after the stop.
 */
async function settleOutputs(
  plan: ChaosPlan,
  context: Omit<ChaosVerifyContext, 'signal'>,
  drainS: number,
  signal: AbortSignal,
): Promise<void> {
  const startMs = Date.now();
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(drainS * 1000)]);
  let missing: number | undefined;
  while (!deadline.aborted) {
    const checks = await plan.verify({ ...context, log: () => {}, signal: deadline }).catch(() => undefined);
    missing = checks?.reduce((sum, c) => sum + c.lost, 0);
    if (missing === 0) break;
    await pause(1000);
  }
  const seconds = ((Date.now() - startMs) / 1000).toFixed(1);
  context.log(
    missing === 0
      ? `outputs complete ${seconds} s after the load`
      : `outputs still incomplete after ${seconds} s (the drain time): stopping the services`,
  );
}
