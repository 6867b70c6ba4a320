/**
 * A whole bench run: the Kafka baseline and the HTTP floor, each selected pipeline (ramp, state
 * sizes, client comparison), the kafka-roundtrip client comparison; then results.json, the SVG
 * plots and the Markdown report under the output directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoInfrastructure, DemoPipeline } from '@streamkit/demo';
import {
  type LoadgenEnvironment,
  type ScenarioRegistry,
  scenarioOptions,
  UnsupportedOptionError,
} from '@streamkit/loadgen';
import { runBaseline } from './baseline.ts';
import { type BenchKafkaAdmin, createBenchKafkaAdmin } from './kafka-admin.ts';
import { createKafkaTools, type KafkaTools } from './kafka-perf.ts';
import { describeMachine } from './machine.ts';
import { renderBenchMarkdown } from './markdown.ts';
import { progressLine, runPipeline } from './pipeline-run.ts';
import type { BenchIsolation, BenchPlan } from './plan.ts';
import { highestPassingRate, nextRampRate } from './ramp.ts';
import { removeRedisKeys } from './redis-cleanup.ts';
import type { BaselineRow, BenchResults, ClientComparison, HttpFloor, PipelineResult } from './results.ts';
import type { RunningServices } from './services.ts';
import { type BenchSettings, isSelectedScenario } from './settings.ts';
import { renderStateSizePlot } from './state-plot.ts';
import { runStep, type StepRecord } from './step.ts';
import { measureWrkBaseline } from './wrk-baseline.ts';

export interface BenchRequest {
  readonly plans: readonly BenchPlan[];
  readonly pipelines: readonly DemoPipeline[];
  readonly registry: ScenarioRegistry;
  readonly environment: LoadgenEnvironment;
  /** Default: the environment's addresses; the smoke test passes its own database. */
  readonly infra?: DemoInfrastructure;
  readonly settings: BenchSettings;
  readonly parentEnv: Readonly<Record<string, string>>;
  readonly repoRoot: string;
  readonly outDir: string;
  /** Names topics, keys and consumer groups of this run apart from everything else. */
  readonly runId: string;
  readonly command: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly onServices?: (services: RunningServices | undefined) => void;
  /** Whether services honour KAFKA_CLIENT=platformatic. */
  readonly clientSelectable: boolean;
}

export interface BenchOutput {
  readonly results: BenchResults;
  readonly markdown: string;
  readonly files: { readonly json: string; readonly markdown: string };
}

export function isolationFor(runId: string, pipeline: string): BenchIsolation {
  const base = `bench-${runId}-${pipeline}`.toLowerCase().replaceAll(/[^a-z0-9-]/g, '-');
  return { topicPrefix: `${base}.`, redisKeyPrefix: `${base}:`, mqttTopicPrefix: `${base}/` };
}

const noServices: RunningServices = {
  processes: [],
  crashes: () => [],
  tailOf: () => [],
  stop: async () => {},
};

export async function runBench(request: BenchRequest): Promise<BenchOutput> {
  const startedAt = new Date().toISOString();
  const { settings, log } = request;
  const notes: string[] = [];
  const infra: DemoInfrastructure = request.infra ?? {
    kafkaBrokers: request.environment.kafkaBrokers,
    databaseUrl: request.environment.databaseUrl,
    redisUrl: request.environment.redisUrl,
    mqttUrl: request.environment.mqttUrl,
  };
  const bootstrap = infra.kafkaBrokers.join(',');
  let tools: KafkaTools | undefined;
  try {
    tools = await createKafkaTools(request.repoRoot, bootstrap);
  } catch (error) {
    notes.push(`Kafka perf tools unavailable: ${(error as Error).message}`);
  }
  const machine = describeMachine(tools?.kafkaVersion ?? 'unknown');
  let admin: BenchKafkaAdmin | undefined;
  try {
    admin = await createBenchKafkaAdmin(infra.kafkaBrokers);
  } catch (error) {
    notes.push(`no Kafka admin (consumer lag not reported): ${(error as Error).message}`);
  }

  const pipelines: PipelineResult[] = [];
  const clients: ClientComparison[] = [];
  let baseline: BaselineRow[] = [];
  const httpFloors: HttpFloor[] = [];
  try {
    if (settings.baseline && tools !== undefined && admin !== undefined) {
      const sizes = request.plans.flatMap((p) =>
        p.scenarios.filter((s) => isSelectedScenario(settings, s.scenario)).map((s) => s.messageBytes),
      );
      baseline = await runBaseline({
        tools,
        admin,
        sizes,
        records: settings.baselineRecords,
        endToEndRecords: settings.endToEndRecords,
        topicPrefix: `bench-${request.runId}.`,
        log: (line) => log(`[bench] ${line}`),
        signal: request.signal,
      });
    } else if (!settings.baseline) {
      notes.push('Kafka baseline skipped (--no-baseline).');
    }
    if (settings.httpFloor) httpFloors.push(...(await measureHttpFloors(request, admin)));
    else notes.push('HTTP floor skipped (--no-http-floor).');

    for (const plan of request.plans) {
      if (request.signal.aborted) break;
      const pipeline = request.pipelines.find((p) => p.name === plan.pipeline);
      if (pipeline === undefined) {
        pipelines.push({
          pipeline: plan.pipeline,
          services: plan.services,
          consumerGroups: [],
          scenarios: [],
          skipped: [`skipped: demo pipeline ${plan.pipeline} not found`],
        });
        continue;
      }
      const isolation = isolationFor(request.runId, plan.pipeline);
      try {
        const out = await runPipeline(plan, pipeline, {
          settings,
          environment: request.environment,
          infra,
          registry: request.registry,
          admin,
          parentEnv: request.parentEnv,
          isolation,
          outDir: request.outDir,
          signal: request.signal,
          log: (line) => log(`[bench] ${line}`),
          clientSelectable: request.clientSelectable,
          ...(request.onServices === undefined ? {} : { onServices: request.onServices }),
        });
        pipelines.push(out.result);
        clients.push(...out.clients);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`[bench] ${plan.pipeline} failed: ${reason}`);
        pipelines.push({
          pipeline: plan.pipeline,
          services: plan.services,
          consumerGroups: [],
          scenarios: [],
          skipped: [`failed: ${reason}`],
        });
      } finally {
        await admin?.deleteTopicsWithPrefix(isolation.topicPrefix).catch(() => 0);
        await removeRedisKeys(request.environment.redisUrl, isolation.redisKeyPrefix, log);
      }
    }

    if (settings.clients && !request.signal.aborted) {
      clients.unshift(await roundtripComparison(request, admin));
    }
  } finally {
    await admin?.close().catch(() => {});
  }

  // plots of the state-size runs
  await mkdir(request.outDir, { recursive: true });
  const withPlots: PipelineResult[] = [];
  for (const p of pipelines) {
    const scenarios = [];
    for (const s of p.scenarios) {
      if (s.stateSize === undefined || s.stateSize.steps.length === 0) {
        scenarios.push(s);
        continue;
      }
      const plot = `state-size-${p.pipeline}-${s.scenario}.svg`;
      await writeFile(
        join(request.outDir, plot),
        renderStateSizePlot(`${s.scenario}: cost as state grows`, s.stateSize),
      );
      scenarios.push({ ...s, stateSize: { ...s.stateSize, plot } });
    }
    withPlots.push({ ...p, scenarios });
  }

  const results: BenchResults = {
    startedAt,
    endedAt: new Date().toISOString(),
    command: request.command,
    machine,
    settings: { ...settings },
    pipelines: withPlots,
    baseline,
    clients,
    httpFloors,
    notes,
    interrupted: request.signal.aborted,
  };
  const markdown = renderBenchMarkdown(results, { plotLink: (file) => file });
  const files = {
    json: join(request.outDir, 'results.json'),
    markdown: join(request.outDir, 'BENCHMARKS.md'),
  };
  await writeFile(files.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(files.markdown, markdown);
  return { results, markdown, files };
}

/** kafka-roundtrip ramped with --client kafkajs and --client platformatic (no services involved). */
async function roundtripComparison(
  request: BenchRequest,
  admin: BenchKafkaAdmin | undefined,
): Promise<ClientComparison> {
  const subject = 'kafka-roundtrip (--client)';
  const scenario = request.registry.get('kafka-roundtrip');
  if (scenario === undefined) return { subject, skipped: 'scenario kafka-roundtrip not found', steps: [] };
  const objective = { p99Ms: 100, text: 'p99 < 100 ms', target: 'informational', informational: true };
  const ramps: Record<string, StepRecord[]> = {};
  for (const client of ['kafkajs', 'platformatic'] as const) {
    let options: ReturnType<typeof scenarioOptions>;
    try {
      options = scenarioOptions(scenario, { client, size: 200 });
    } catch (error) {
      if (!(error instanceof UnsupportedOptionError)) throw error;
      request.log(`[bench] skipped client comparison: ${error.message}`);
      return { subject, skipped: error.message, steps: [] };
    }
    ramps[client] = await rampWithoutServices(request, admin, {
      pipeline: 'kafka',
      series: `client-${client}`,
      scenario,
      options,
      objective,
      maxRate: 64_000,
    });
  }
  return {
    subject,
    kafkajs: highestPassingRate(ramps.kafkajs ?? []),
    platformatic: highestPassingRate(ramps.platformatic ?? []),
    steps: [...(ramps.kafkajs ?? []), ...(ramps.platformatic ?? [])],
  };
}

/**
 * The `http-roundtrip` ramp (a no-op `node:http` server in its own process, driven by this load
 * generator) once per latency objective of the selected scenarios that enter over HTTP: no pipeline
 * with an HTTP ingress can sustain more than this on the same machine at the same objective.
 */
/** As many as the floor's generator keeps open by default: the same concurrency, without the generator. */
const wrkConnections = 16;

async function measureHttpFloors(
  request: BenchRequest,
  admin: BenchKafkaAdmin | undefined,
): Promise<HttpFloor[]> {
  const wanted = new Map<number, number>(); // p99 objective → body bytes of the first scenario with it
  for (const plan of request.plans)
    for (const s of plan.scenarios)
      if (
        s.ingress === 'http' &&
        isSelectedScenario(request.settings, s.scenario) &&
        !wanted.has(s.objective.p99Ms)
      )
        wanted.set(s.objective.p99Ms, s.messageBytes);
  const floors: HttpFloor[] = [];
  const scenario = request.registry.get('http-roundtrip');
  let warmedUp = false;
  for (const [p99Ms, bodyBytes] of [...wanted].sort((a, b) => a[0] - b[0])) {
    if (request.signal.aborted) break;
    if (scenario === undefined) {
      floors.push({
        p99Ms,
        bodyBytes,
        maxRate: undefined,
        skipped: 'scenario http-roundtrip not found',
        steps: [],
      });
      continue;
    }
    const options = scenarioOptions(scenario, { size: bodyBytes });
    if (!warmedUp) {
      // the first steps of a process run cold code (JIT): one unrecorded step, so the floor's
      // first rate is not failed by the load generator's own warm-up
      warmedUp = true;
      await stepWithoutServices(request, admin, {
        pipeline: 'http',
        series: 'http-floor-warmup',
        scenario,
        options,
        objective: { p99Ms, text: 'warm-up', target: 'warm-up', informational: true },
        rate: request.settings.startRate ?? 1000,
      });
    }
    request.log(`[bench] HTTP floor: http-roundtrip ramp at p99 < ${p99Ms} ms`);
    const steps = await rampWithoutServices(request, admin, {
      pipeline: 'http',
      series: `http-floor-${p99Ms}ms`,
      scenario,
      options,
      objective: { p99Ms, text: `p99 < ${p99Ms} ms`, target: 'HTTP floor', informational: true },
      maxRate: 32_000,
    });
    const durationS = Math.max(1, Math.round(request.settings.timing.durationS));
    request.log(`[bench] HTTP floor: wrk (closed loop, ${wrkConnections} connections) for ${durationS} s`);
    const native = await measureWrkBaseline({ bodyBytes, connections: wrkConnections, durationS });
    floors.push({ p99Ms, bodyBytes, maxRate: highestPassingRate(steps), steps, native });
  }
  return floors;
}

interface ServicelessRun {
  /** Names the folder of the step reports, e.g. "kafka" or "http". */
  readonly pipeline: string;
  readonly series: string;
  readonly scenario: NonNullable<ReturnType<ScenarioRegistry['get']>>;
  readonly options: ReturnType<typeof scenarioOptions>;
  readonly objective: Parameters<typeof runStep>[0]['objective'];
}

/** A doubling-then-bisecting ramp of a scenario that needs no pipeline services. */
async function rampWithoutServices(
  request: BenchRequest,
  admin: BenchKafkaAdmin | undefined,
  ramp: ServicelessRun & { readonly maxRate: number },
): Promise<StepRecord[]> {
  const steps: StepRecord[] = [];
  const search = {
    startRate: request.settings.startRate ?? 500,
    maxRate: ramp.maxRate,
    bisections: request.settings.bisections,
    resolution: 0.1,
  };
  while (steps.length < request.settings.maxSteps && !request.signal.aborted) {
    const rate = nextRampRate(
      steps.map((s) => ({ rate: s.rate, passed: s.passed })),
      search,
    );
    if (rate === undefined) break;
    const step = await stepWithoutServices(request, admin, { ...ramp, rate });
    request.log(`[bench] ${progressLine(step)}`);
    steps.push(step);
  }
  return steps;
}

function stepWithoutServices(
  request: BenchRequest,
  admin: BenchKafkaAdmin | undefined,
  run: ServicelessRun & { readonly rate: number },
): Promise<StepRecord> {
  return runStep({
    pipeline: run.pipeline,
    series: run.series,
    scenario: run.scenario,
    options: run.options,
    rate: run.rate,
    timing: request.settings.timing,
    objective: run.objective,
    environment: request.environment,
    services: noServices,
    consumerGroups: [],
    admin,
    outDir: request.outDir,
    signal: request.signal,
  });
}
