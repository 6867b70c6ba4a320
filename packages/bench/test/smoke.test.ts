/**
 * Smoke test: every app's bench plan runs one tiny step (20/s for 2 s) against the real local
 * infrastructure, on its own database, topic prefix, key prefix and MQTT prefix. The services
 * listen on the demo's fixed ports, so the pipelines run one after another.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processEnvironment } from '@streamkit/config';
import { type DemoPipeline, discoverPipelines } from '@streamkit/demo';
import { builtInScenarios, discoverScenarios, type ScenarioRegistry } from '@streamkit/loadgen';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runBench } from '../src/bench-run.ts';
import { repoRoot } from '../src/cli.ts';
import { discoverPlans } from '../src/discovery.ts';
import type { BenchPlan } from '../src/plan.ts';
import { type BenchSettings, quickSettings } from '../src/settings.ts';

const smokeSettings: BenchSettings = {
  ...quickSettings,
  timing: { warmupS: 0, durationS: 2, drainS: 8 },
  maxSteps: 1,
  startRate: 20,
  bisections: 0,
  baseline: false,
  httpFloor: false,
  stateSizes: false,
  clients: false,
};

const root = repoRoot();
let plans: readonly BenchPlan[] = [];
let pipelines: readonly DemoPipeline[] = [];
let registry: ScenarioRegistry;
let database: TestDatabase;
let outDir: string;

beforeAll(async () => {
  const infra = inject('infrastructure');
  database = await createTestDatabase(infra.databaseUrl, 'bench-smoke');
  outDir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
  plans = (await discoverPlans(join(root, 'apps'))).plans;
  pipelines = (await discoverPipelines({ appsRoot: join(root, 'apps'), builtins: [] })).pipelines.map(
    (d) => d.pipeline,
  );
  registry = (await discoverScenarios({ repoRoot: root, builtIns: builtInScenarios })).registry;
});

afterAll(async () => {
  await database?.drop();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

describe('the HTTP floor', () => {
  it('ramps http-roundtrip once per objective of the scenarios that enter over HTTP', async () => {
    const infra = inject('infrastructure');
    const scenario = (p99Ms: number) => ({
      scenario: 'none',
      objective: { p99Ms, text: `p99 < ${p99Ms} ms`, target: 'test' },
      ramp: { startRate: 20, maxRate: 20 },
      messageBytes: 120,
      ingress: 'http' as const,
    });
    // the pipeline itself is absent (skipped); the floor does not need it
    const plan: BenchPlan = {
      pipeline: 'floor-only',
      services: [],
      consumerGroups: () => [],
      scenarios: [scenario(250), scenario(100), scenario(250)],
    };
    const lines: string[] = [];
    const output = await runBench({
      plans: [plan],
      pipelines: [],
      registry,
      environment: {
        kafkaBrokers: infra.kafkaBrokers,
        kafkaClientId: 'bench-smoke-floor',
        databaseUrl: database.url,
        redisUrl: infra.redisUrl,
        mqttUrl: infra.mqttUrl,
      },
      infra: { ...infra, databaseUrl: database.url },
      settings: { ...smokeSettings, httpFloor: true },
      parentEnv: processEnvironment(),
      repoRoot: root,
      outDir: join(outDir, 'floor'),
      runId: Math.random().toString(16).slice(2, 10),
      command: 'smoke floor',
      signal: new AbortController().signal,
      log: (line) => lines.push(line),
      clientSelectable: false,
    });
    const floors = output.results.httpFloors ?? [];
    expect(floors.map((f) => [f.p99Ms, f.bodyBytes, f.steps.length])).toEqual([
      [100, 120, 1],
      [250, 120, 1],
    ]);
    for (const floor of floors) {
      expect(floor.steps[0]?.completed, lines.join('\n')).toBeGreaterThan(0);
      expect(floor.maxRate, lines.join('\n')).toBe(20);
      // wrk beside the floor, or why not (it is not installed everywhere)
      const native = floor.native;
      if (native === undefined || 'skipped' in native)
        expect(native).toEqual({ skipped: expect.stringMatching(/wrk/) });
      else expect(native.requestsPerSecond).toBeGreaterThan(0);
    }
    expect(output.markdown).toContain('| p99 < 250 ms | 120 | 20/s |');
  });
});

describe('every bench plan runs one step', () => {
  it('finds the four plans', () => {
    expect(plans.map((p) => p.pipeline).sort()).toEqual(['dashboard', 'fraud', 'iot', 'recommendations']);
  });

  for (const name of ['fraud', 'recommendations', 'iot', 'dashboard']) {
    it(`${name}: each scenario completes operations and each service's RSS is sampled`, async () => {
      const plan = plans.find((p) => p.pipeline === name);
      if (plan === undefined) throw new Error(`no bench plan for ${name}`);
      const infra = inject('infrastructure');
      const lines: string[] = [];
      const output = await runBench({
        plans: [plan],
        pipelines,
        registry,
        environment: {
          kafkaBrokers: infra.kafkaBrokers,
          kafkaClientId: `bench-smoke-${name}`,
          databaseUrl: database.url,
          redisUrl: infra.redisUrl,
          mqttUrl: infra.mqttUrl,
        },
        infra: { ...infra, databaseUrl: database.url },
        settings: smokeSettings,
        parentEnv: processEnvironment(),
        repoRoot: root,
        outDir: join(outDir, name),
        runId: Math.random().toString(16).slice(2, 10),
        command: `smoke ${name}`,
        signal: new AbortController().signal,
        log: (line) => lines.push(line),
        clientSelectable: false,
      });
      const result = output.results.pipelines[0];
      expect(result?.skipped, lines.join('\n')).toEqual([]);
      const ran = result?.scenarios ?? [];
      expect(ran.length, lines.join('\n')).toBeGreaterThan(0);
      for (const scenario of ran) {
        const step = scenario.ramp[0];
        expect(
          step?.completed,
          `${scenario.scenario}: ${step?.reasons.join('; ')}\n${lines.join('\n')}`,
        ).toBeGreaterThan(0);
        expect(step?.services.map((s) => s.service)).toEqual(plan.services);
        expect(step?.cpu?.loadGeneratorSeconds, scenario.scenario).toBeGreaterThan(0);
        expect(step?.cpu?.machineSeconds, scenario.scenario).toBeGreaterThan(0);
        expect(step?.cpu?.operations, scenario.scenario).toBeGreaterThan(0);
        for (const usage of step?.services ?? []) {
          expect(usage.rssSamples, usage.service).toBeGreaterThan(0);
          expect(usage.peakRssMb, usage.service).toBeGreaterThan(10);
        }
      }
      const markdown = await readFile(output.files.markdown, 'utf8');
      expect(markdown).toContain(`## ${name}`);
    });
  }
});
