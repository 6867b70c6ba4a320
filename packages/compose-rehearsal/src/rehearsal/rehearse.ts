import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ingressChecks } from '../checks/index.ts';
import { loadProject } from '../compose/load-project.ts';
import { selectServices } from '../compose/select-services.ts';
import type { DependencyCondition, ServiceSpec } from '../compose/types.ts';
import { ServiceRunner } from '../container/service-runner.ts';
import { Volumes } from '../container/volumes.ts';
import type { BuiltImage } from '../image/build-image.ts';
import { ImageCache } from '../image/image-cache.ts';
import { createDatabase, type Isolation, newIsolation, removeIsolatedData } from '../isolation.ts';
import { type ProjectNetwork, startProjectNetwork } from '../network/project-network.ts';
import type { OtlpRecorder } from '../stand-ins/otlp-recorder.ts';
import type { PrivateMosquittoStandIn } from '../stand-ins/private-mosquitto.ts';
import type { MachineInfrastructure } from '../stand-ins/stand-ins.ts';
import { containerDir, createContainer } from './create-container.ts';
import { planRehearsal, type RehearsalPlan } from './plan.ts';
import { Progress, seconds } from './progress.ts';
import type { CheckOutcome, RehearsalReport, ServiceOutcome } from './report.ts';
import { traceFindings } from './traces.ts';

export interface RehearsalOptions {
  readonly repoRoot: string;
  /** `--profile` values. */
  readonly profiles: readonly string[];
  /** The shell environment compose would interpolate with (the rehearsal adds its isolation variables). */
  readonly shellEnvironment: Readonly<Record<string, string | undefined>>;
  readonly infra: MachineInfrastructure;
  /** Receives one progress line per step. */
  readonly log: (line: string) => void;
  /** Default: compose.yaml at the repository root. */
  readonly composeFile?: string;
  /** Built images shared across rehearsals; default: built for this rehearsal alone. */
  readonly imageCache?: ImageCache;
  /** Keep the working directory and the isolated data (for a look afterwards). */
  readonly keep?: boolean;
  /** Aborts the rehearsal (Ctrl-C): it stops what it started and reports. */
  readonly signal?: AbortSignal;
  /** How long one event may take from ingress to output (default 60 s). */
  readonly checkTimeoutMs?: number;
  readonly isolation?: Isolation;
}

/**
 * `docker compose --profile <p>… up` without Docker: the profile's services built from this
 * repository's Dockerfile run as local processes (see Container), the base infrastructure is this
 * machine's, each service's healthcheck runs as written, depends_on conditions and restart policies
 * apply — then one event entered at each profile's ingress must reach its output. Everything is
 * stopped and removed at the end (`down -v`).
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const progress = new Progress(options.log);
  const failures: string[] = [];
  const warnings: string[] = [];
  const checks: CheckOutcome[] = [];
  const isolation = options.isolation ?? newIsolation();
  const composeFile = options.composeFile ?? join(options.repoRoot, 'compose.yaml');
  const project = loadProject(composeFile, {
    environment: { ...options.shellEnvironment, ...isolation.variables },
  });
  progress.step(
    `compose: ${project.files.map((f) => relative(options.repoRoot, f)).join(', ')} — project ${project.name}, profiles ${options.profiles.join(', ')}`,
  );
  progress.step(
    `isolation (interpolation variables set by the rehearsal): ${Object.entries(isolation.variables)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  for (const name of project.unsetVariables)
    warnings.push(`variable ${name} is not set: compose uses an empty string`);
  const known = new Set([...project.services.values()].flatMap((s) => s.profiles));
  const unknown = options.profiles.filter((p) => !known.has(p));
  // compose would start the base services alone; a rehearsal of nothing is a mistake worth naming
  if (unknown.length > 0)
    throw new Error(
      `no service has the profile ${unknown.join(', ')} (profiles: ${[...known].sort().join(', ')})`,
    );
  const selected = selectServices(project, options.profiles);
  const plan = planRehearsal(project, selected, options.repoRoot, options.infra);
  failures.push(...plan.problems);
  for (const s of plan.services) {
    const role = plan.roles.get(s.name);
    if (role?.kind === 'stand-in')
      progress.step(`${s.name}: stand-in — ${role.standIn.description} (image ${s.image} not run)`);
    if (role?.kind === 'not rehearsed') progress.step(`${s.name}: not rehearsed — ${role.reason}`);
  }

  const workDir = mkdtempSync(join(tmpdir(), 'streamkit-rehearsal-'));
  // the unprivileged services walk through it to their image
  chmodSync(workDir, 0o755);
  const cache = options.imageCache ?? new ImageCache(join(workDir, 'images'));
  const runners = new Map<string, ServiceRunner>();
  let network: ProjectNetwork | undefined;
  let databaseCreated = false;
  const aborted = abortPromise(options.signal);
  try {
    if (plan.roles.get('postgres')?.kind === 'stand-in') {
      await createDatabase(isolation, options.infra);
      databaseCreated = true;
      progress.step(
        `postgres: database ${isolation.variables.POSTGRES_DB} created (the postgres image creates POSTGRES_DB at its first start)`,
      );
    }
    const images = await buildImages(plan, cache, options.repoRoot, progress);
    const baseLayer = cache.baseLayer();
    const ours = plan.services.filter((s) => plan.roles.get(s.name)?.kind === 'ours');
    const standIns = plan.services.flatMap((s) => {
      const role = plan.roles.get(s.name);
      return role?.kind === 'stand-in' ? [role.standIn] : [];
    });
    network = await startProjectNetwork(
      join(workDir, 'network'),
      ours.map((s) => ({ name: s.name, published: s.ports.map((p) => p.target) })),
      standIns,
    );
    progress.step(
      `network: a namespace of its own; ${ours.map((s) => `${s.name} ${network?.addressOf(s.name)}`).join(', ')}`,
    );

    const volumes = new Volumes(join(workDir, 'volumes'));
    const oneShots = new Set(
      plan.services.flatMap((s) =>
        Object.entries(s.dependsOn)
          .filter(([, d]) => d.condition === 'service_completed_successfully')
          .map(([name]) => name),
      ),
    );
    for (const s of ours) {
      const image = images.get((plan.roles.get(s.name) as { image: string }).image) as BuiltImage;
      const { container, volumeNotes } = createContainer({
        project,
        service: s,
        image,
        baseLayer,
        network,
        volumes,
        dir: containerDir(workDir, s.name),
      });
      for (const note of volumeNotes) progress.step(`${s.name}: volume ${note}`);
      const runner = new ServiceRunner(s, container);
      watch(runner, oneShots.has(s.name), progress, failures, warnings);
      runners.set(s.name, runner);
    }

    const ready = await Promise.race([up(plan, runners, oneShots, progress, failures), aborted]);
    if (ready === 'aborted') failures.push('aborted');
    else await runChecks({ options, plan, runners, network, ready, checks, failures, progress, isolation });
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await tearDown({ runners, plan, network, progress, warnings });
    if (databaseCreated && options.keep !== true) {
      const problems = await removeIsolatedData(isolation, options.infra);
      for (const p of problems) warnings.push(`clean-up: ${p}`);
      progress.step(
        `removed the rehearsal's database, topics, consumer groups and keys (prefix ${isolation.variables.KAFKA_TOPIC_PREFIX})`,
      );
    }
    if (options.keep === true) progress.step(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  const services = outcomes(plan, runners);
  return { profiles: options.profiles, passed: failures.length === 0, services, failures, warnings, checks };
}

async function buildImages(
  plan: RehearsalPlan,
  cache: ImageCache,
  repoRoot: string,
  progress: Progress,
): Promise<Map<string, BuiltImage>> {
  const built = new Map<string, BuiltImage>();
  for (const [name, image] of plan.images) {
    if (image.services.length === 0) continue;
    progress.step(`build ${name} (infra/docker/build-image.sh, for ${image.services.join(', ')})`);
    const { image: result, fresh } = await cache.image(repoRoot, name, image.build);
    progress.step(
      `built ${name}${fresh ? ` in ${result.seconds.toFixed(1)}s` : ' (already built in this run)'}: WORKDIR ${result.config.workdir}, USER ${result.config.user}`,
    );
    built.set(name, result);
  }
  return built;
}

/** Reports a runner's life as progress lines, and what goes wrong as failures or warnings. */
function watch(
  runner: ServiceRunner,
  oneShot: boolean,
  progress: Progress,
  failures: string[],
  warnings: string[],
): void {
  const name = runner.spec.name;
  const check = runner.spec.healthcheck;
  runner.on('started', (run) =>
    progress.step(
      `${name}: started${run > 1 ? ` (run ${run})` : ''}, host name ${runner.container.settings.hostname}`,
    ),
  );
  runner.on('health', (status, afterMs) => {
    if (status === 'healthy') {
      progress.step(
        `${name}: healthy after ${seconds(afterMs)} (start_period ${seconds(check?.startPeriodMs ?? 0)})`,
      );
      if (check !== undefined && afterMs > check.startPeriodMs)
        warnings.push(
          `${name} became healthy after ${seconds(afterMs)}, beyond its start_period of ${seconds(check.startPeriodMs)}: failed probes after it count toward unhealthy`,
        );
    } else if (status === 'unhealthy') {
      const last = runner.health?.lastFailure();
      const why =
        last === undefined
          ? ''
          : last.timedOut
            ? `probe timed out after ${seconds(check?.timeoutMs ?? 0)}`
            : `probe exit ${last.exitCode}: ${last.output.slice(0, 300)}`;
      progress.step(`${name}: unhealthy after ${seconds(afterMs)} (${why})`);
      failures.push(
        `${name} unhealthy after ${seconds(afterMs)}: ${why}\n${runner.container.logs.tail(15).join('\n')}`,
      );
    }
  });
  runner.on('exit', (exit) => {
    const policy = runner.spec.restart.kind;
    const restart = exit.willRestart ? `, restarting (restart: ${policy})` : '';
    if (oneShot && exit.code === 0) {
      progress.step(`${name}: completed (exit 0 after ${seconds(exit.afterMs)})`);
      return;
    }
    const first = runner.exits.length <= 1;
    // the first failure shows its output at once, not only in the report at the end
    const output = first ? `; its last output:\n${runner.container.logs.tail(15).join('\n')}` : '';
    progress.step(`${name}: exited with code ${exit.code} after ${seconds(exit.afterMs)}${restart}${output}`);
    if (first)
      failures.push(
        `${name} exited with code ${exit.code} after ${seconds(exit.afterMs)}${restart}${output}`,
      );
  });
}

type Readiness = ReadonlyMap<string, string | undefined>;

/**
 * Starts each service once its depends_on conditions hold (stand-ins: once they answer), all
 * concurrently like compose, and waits until every started service is healthy, completed (a one-shot
 * that others wait for) or started (no healthcheck) — or cannot be. Resolves with, per service, why
 * it is not ready (undefined: ready).
 */
async function up(
  plan: RehearsalPlan,
  runners: ReadonlyMap<string, ServiceRunner>,
  oneShots: ReadonlySet<string>,
  progress: Progress,
  failures: string[],
): Promise<Readiness> {
  const ready = new Map<string, Promise<string | undefined>>();
  const standInReady = new Map<string, Promise<boolean>>();
  for (const s of plan.services) {
    const role = plan.roles.get(s.name);
    if (role?.kind === 'stand-in') standInReady.set(s.name, role.standIn.ready());
  }
  const waitFor = async (dep: string, condition: DependencyCondition): Promise<string | undefined> => {
    const standIn = standInReady.get(dep);
    if (standIn !== undefined) return (await standIn) ? undefined : `${dep} (stand-in) does not answer`;
    const runner = runners.get(dep);
    const depReady = ready.get(dep);
    if (runner === undefined || depReady === undefined) return `${dep} is not rehearsed`;
    if (condition === 'service_started') {
      // as soon as it runs; unless it never will
      const never = depReady.then((why) =>
        why?.startsWith('not started') === true ? `${dep} ${why}` : new Promise<never>(() => {}),
      );
      return Promise.race([runner.condition('service_started').then(() => undefined), never]);
    }
    // its readiness is bounded (Docker's health window, a restart loop): a dependant never waits forever
    const why = await depReady;
    if (why !== undefined) return `${dep} ${why}`;
    try {
      await runner.condition(condition);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  for (const s of plan.services) {
    const runner = runners.get(s.name);
    if (runner === undefined) continue;
    ready.set(
      s.name,
      (async () => {
        const blocked = (
          await Promise.all(Object.entries(s.dependsOn).map(([dep, d]) => waitFor(dep, d.condition)))
        ).filter((x) => x !== undefined);
        if (blocked.length > 0) {
          failures.push(`${s.name} not started: dependency failed: ${blocked.join('; ')}`);
          return `not started (${blocked.join('; ')})`;
        }
        runner.start();
        return readiness(s, runner, oneShots.has(s.name));
      })(),
    );
  }
  const entries = await Promise.all([...ready].map(async ([name, p]) => [name, await p] as const));
  progress.step(
    `up: ${entries.filter(([, why]) => why === undefined).length} of ${entries.length} services ready`,
  );
  return new Map(entries);
}

/** Waits for the state a service should reach, within Docker's window for it (start_period + retries). */
async function readiness(
  s: ServiceSpec,
  runner: ServiceRunner,
  oneShot: boolean,
): Promise<string | undefined> {
  const check = s.healthcheck;
  const condition: DependencyCondition = oneShot
    ? 'service_completed_successfully'
    : check === undefined || check.test[0] === 'NONE'
      ? 'service_started'
      : 'service_healthy';
  const windowMs =
    check === undefined
      ? 120_000
      : check.startPeriodMs + check.retries * (check.intervalMs + check.timeoutMs) + 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`not ${condition.replace('service_', '')} within ${seconds(windowMs)}`),
      windowMs,
    );
  });
  // a service that keeps exiting would restart forever: three exits are enough to say so
  const crashLoop = new Promise<string>((resolve) => {
    const onExit = () => {
      if (!oneShot && runner.exits.length >= 3) resolve(`exited ${runner.exits.length} times (restart loop)`);
    };
    runner.on('exit', onExit);
  });
  try {
    return await Promise.race([runner.condition(condition).then(() => undefined), timeout, crashLoop]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

async function runChecks(context: {
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

async function tearDown(context: {
  runners: ReadonlyMap<string, ServiceRunner>;
  plan: RehearsalPlan;
  network: ProjectNetwork | undefined;
  progress: Progress;
  warnings: string[];
}): Promise<void> {
  const { runners, plan, network, progress, warnings } = context;
  // dependants first, as `docker compose down`
  for (const s of [...plan.services].reverse()) {
    const runner = runners.get(s.name);
    if (runner === undefined) continue;
    // a runner never started is stopped too: a dependency settling late cannot start it any more
    const wasStarted = runner.runs > 0;
    const started = Date.now();
    const killed = await runner.stop();
    if (!wasStarted) continue;
    if (killed)
      warnings.push(
        `${s.name} ignored SIGTERM: killed after its stop_grace_period (${seconds(s.stopGracePeriodMs)})`,
      );
    progress.step(`${s.name}: stopped in ${seconds(Date.now() - started)}${killed ? ' (SIGKILL)' : ''}`);
  }
  await network?.close();
}

function outcomes(plan: RehearsalPlan, runners: ReadonlyMap<string, ServiceRunner>): ServiceOutcome[] {
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
    const state =
      health?.status === 'healthy' || health?.status === 'unhealthy'
        ? health.status
        : lastExit?.code === 0 && !lastExit.willRestart
          ? 'completed'
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

function abortPromise(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

/** Where the checks reach the compose `mosquitto`: its private stand-in, if it has one. */
function mqttUrlOf(plan: RehearsalPlan): string | undefined {
  const role = plan.roles.get('mosquitto');
  if (role?.kind !== 'stand-in' || !('brokerUrl' in role.standIn)) return undefined;
  return (role.standIn as PrivateMosquittoStandIn).brokerUrl();
}
