/**
 * One pipeline's part of a bench run: prepare, start the plan's services, then per scenario the
 * ramp (max sustainable rate) and the state-size runs; optionally the fraud-style client
 * comparison (services restarted with KAFKA_CLIENT=kafkajs and =platformatic).
 */
import type { DemoInfrastructure, DemoPipeline } from '@streamkit/demo';
import {
  type LoadgenEnvironment,
  type ScenarioRegistry,
  scenarioOptions,
  UnsupportedOptionError,
} from '@streamkit/loadgen';
import type { BenchKafkaAdmin } from './kafka-admin.ts';
import type { BenchIsolation, BenchPlan, BenchScenario, ScenarioOptionValue } from './plan.ts';
import { highestPassingRate, nextRampRate } from './ramp.ts';
import type { ClientComparison, PipelineResult, ScenarioResult, StateSizeResult } from './results.ts';
import { type RunningServices, startServices } from './services.ts';
import { type BenchSettings, isSelectedScenario } from './settings.ts';
import { runStep, type StepRecord } from './step.ts';

export interface PipelineRunContext {
  readonly settings: BenchSettings;
  readonly environment: LoadgenEnvironment;
  readonly infra: DemoInfrastructure;
  readonly registry: ScenarioRegistry;
  readonly admin: BenchKafkaAdmin | undefined;
  readonly parentEnv: Readonly<Record<string, string>>;
  readonly isolation: BenchIsolation;
  readonly outDir: string;
  readonly signal: AbortSignal;
  /** Progress and notes, one line each (stderr). */
  readonly log: (line: string) => void;
  /** Told about started services, so a forced stop can kill them. */
  readonly onServices?: (services: RunningServices | undefined) => void;
  /** Whether the services' Kafka client can be chosen with KAFKA_CLIENT. */
  readonly clientSelectable: boolean;
}

export interface PipelineRunOutput {
  readonly result: PipelineResult;
  readonly clients: readonly ClientComparison[];
}

export async function runPipeline(
  plan: BenchPlan,
  pipeline: DemoPipeline,
  ctx: PipelineRunContext,
): Promise<PipelineRunOutput> {
  const skipped: string[] = [];
  const scenarios: ScenarioResult[] = [];
  const clients: ClientComparison[] = [];
  const groups = plan.consumerGroups(ctx.isolation);
  const prepare =
    plan.prepare ?? ((infra: DemoInfrastructure) => pipeline.prepare?.(infra) ?? Promise.resolve());
  ctx.log(`${plan.pipeline}: preparing`);
  await prepare(ctx.infra, ctx.isolation);

  let services: RunningServices | undefined;
  const start = async (extraEnv: Record<string, string> = {}) => {
    services = await startServices({
      pipeline,
      serviceNames: plan.services,
      infra: ctx.infra,
      parentEnv: ctx.parentEnv,
      extraEnv: { ...plan.env?.(ctx.isolation), ...extraEnv },
      readyTimeoutMs: ctx.settings.readyTimeoutMs,
      stopTimeoutMs: ctx.settings.stopTimeoutMs,
      log: (line) => ctx.log(`${plan.pipeline}: ${line}`),
      signal: ctx.signal,
    });
    ctx.onServices?.(services);
    return services;
  };
  const stop = async () => {
    await services?.stop();
    services = undefined;
    ctx.onServices?.(undefined);
  };
  /** Services that died during a step are restarted before the next one, so one crash fails one step. */
  const ensureRunning = async (extraEnv: Record<string, string> = {}): Promise<RunningServices> => {
    if (services !== undefined && services.crashes().length === 0) return services;
    if (services !== undefined) {
      ctx.log(`${plan.pipeline}: restarting services after ${services.crashes().join('; ')}`);
      await stop();
    }
    return start(extraEnv);
  };

  try {
    for (const benchScenario of plan.scenarios) {
      if (ctx.signal.aborted) break;
      if (!isSelectedScenario(ctx.settings, benchScenario.scenario)) continue;
      const scenario = ctx.registry.get(benchScenario.scenario);
      if (scenario === undefined) {
        skipped.push(`skipped: scenario ${benchScenario.scenario} not found`);
        ctx.log(`${plan.pipeline}: skipped: scenario ${benchScenario.scenario} not found`);
        continue;
      }
      let options: Record<string, ScenarioOptionValue>;
      try {
        options = scenarioOptions(scenario, benchScenario.options?.(ctx.isolation) ?? {});
      } catch (error) {
        if (!(error instanceof UnsupportedOptionError)) throw error;
        skipped.push(`skipped: ${benchScenario.scenario}: ${error.message}`);
        ctx.log(`${plan.pipeline}: skipped: ${error.message}`);
        continue;
      }
      const runAt = async (
        series: string,
        rate: number,
        stepOptions: Record<string, ScenarioOptionValue>,
        env: Record<string, string> = {},
      ) => {
        const running = await ensureRunning(env);
        const step = await runStep({
          pipeline: plan.pipeline,
          series,
          scenario,
          options: stepOptions,
          rate,
          timing: ctx.settings.timing,
          objective: benchScenario.objective,
          environment: ctx.environment,
          services: running,
          consumerGroups: groups,
          admin: ctx.admin,
          outDir: ctx.outDir,
          signal: ctx.signal,
        });
        ctx.log(progressLine(step));
        return step;
      };
      const ramp = await runRamp(benchScenario, ctx, (rate) => runAt('ramp', rate, options));
      const maxRate = highestPassingRate(ramp);
      const scenarioSkipped: string[] = [];
      let stateSize: StateSizeResult | undefined;
      const sizes = benchScenario.stateSize;
      if (sizes !== undefined && ctx.settings.stateSizes && !ctx.signal.aborted) {
        const rate =
          ctx.settings.stateSizeRate ??
          sizes.rate ??
          Math.max(1, Math.round((maxRate ?? benchScenario.ramp.startRate) / 2));
        if (!(sizes.option in (scenario.options ?? {}))) {
          scenarioSkipped.push(
            `skipped: state sizes: scenario ${scenario.name} has no option --${sizes.option}`,
          );
        } else {
          const steps: StepRecord[] = [];
          for (const value of sizes.values) {
            if (ctx.signal.aborted) break;
            steps.push(await runAt(`state-${value}`, rate, { ...options, [sizes.option]: value }));
          }
          stateSize = { option: sizes.option, unit: sizes.unit, rate, steps };
        }
      }
      scenarios.push({
        scenario: benchScenario.scenario,
        objective: benchScenario.objective,
        messageBytes: benchScenario.messageBytes,
        ...(benchScenario.ingress === undefined ? {} : { ingress: benchScenario.ingress }),
        ramp,
        maxRate,
        ...(stateSize === undefined ? {} : { stateSize }),
        skipped: scenarioSkipped,
      });

      if (
        plan.clientComparison === true &&
        ctx.settings.clients &&
        scenarios.length === 1 &&
        !ctx.signal.aborted
      ) {
        clients.push(
          await compareClients(plan, ctx, async (kind) => {
            await stop();
            const env = { KAFKA_CLIENT: kind };
            await start(env);
            return runRamp(benchScenario, ctx, (rate) => runAt(`client-${kind}`, rate, options, env));
          }),
        );
        await stop();
      }
    }
  } finally {
    await stop();
  }
  return {
    result: { pipeline: plan.pipeline, services: plan.services, consumerGroups: groups, scenarios, skipped },
    clients,
  };
}

async function runRamp(
  benchScenario: BenchScenario,
  ctx: PipelineRunContext,
  step: (rate: number) => Promise<StepRecord>,
): Promise<StepRecord[]> {
  const steps: StepRecord[] = [];
  const rampSettings = {
    startRate: ctx.settings.startRate ?? benchScenario.ramp.startRate,
    maxRate: benchScenario.ramp.maxRate,
    bisections: ctx.settings.bisections,
    resolution: 0.1,
  };
  while (steps.length < ctx.settings.maxSteps && !ctx.signal.aborted) {
    const rate = nextRampRate(
      steps.map((s) => ({ rate: s.rate, passed: s.passed })),
      rampSettings,
    );
    if (rate === undefined) break;
    steps.push(await step(rate));
  }
  return steps;
}

async function compareClients(
  plan: BenchPlan,
  ctx: PipelineRunContext,
  rampWith: (kind: 'kafkajs' | 'platformatic') => Promise<StepRecord[]>,
): Promise<ClientComparison> {
  const subject = `${plan.pipeline} (services, KAFKA_CLIENT)`;
  if (!ctx.clientSelectable) {
    ctx.log(
      `${plan.pipeline}: skipped client comparison: @streamkit/kafka has no KAFKA_CLIENT=platformatic yet`,
    );
    return { subject, skipped: '@streamkit/kafka does not offer KAFKA_CLIENT=platformatic yet', steps: [] };
  }
  const kafkajsSteps = await rampWith('kafkajs');
  const platformaticSteps = ctx.signal.aborted ? [] : await rampWith('platformatic');
  return {
    subject,
    kafkajs: highestPassingRate(kafkajsSteps),
    platformatic: highestPassingRate(platformaticSteps),
    steps: [...kafkajsSteps, ...platformaticSteps],
  };
}

export function progressLine(step: StepRecord): string {
  const verdict = step.passed ? 'pass' : `FAIL (${step.reasons.join('; ')})`;
  return `${step.pipeline} ${step.scenario} ${step.series} ${step.rate}/s: ${verdict}; achieved ${step.achieved}/s, completed ${step.completed}/s, p99 ${step.latencyMs.p99} ms`;
}
