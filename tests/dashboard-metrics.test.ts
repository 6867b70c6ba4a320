// Every metric a Grafana panel queries is exported by the service the query names: each pipeline's
// services run as real processes (the demo's own commands and `prepare`, on free ports, with their
// own topics, database and keys) and their /metrics are matched against the panel expressions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoPipeline, defaultAppsRoot, discoverPipelines } from '@streamkit/demo';
import { createTestDatabase, ensureInfrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exposedFamilies,
  familyOf,
  loadDashboards,
  metricQueries,
  serviceLabelOf,
} from './support/dashboard-queries.ts';
import { type RunningPipeline, startPipelineServices } from './support/pipeline-services.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboards = loadDashboards(join(root, 'infra/grafana/dashboards'));
const queries = dashboards.flatMap(metricQueries);

// Load generators feed the pipeline but no dashboard panel names them.
const generators = ['generator', 'shoppers', 'devices', 'loggen'];
const pipelineNames = ['fraud', 'recommendations', 'iot', 'dashboard'];

const running: RunningPipeline[] = [];
const databases: TestDatabase[] = [];
let workDir = '';
/** service label → the families its /metrics declares. */
const exported = new Map<string, Map<string, string>>();

async function runPipeline(pipeline: DemoPipeline, infra: Awaited<ReturnType<typeof ensureInfrastructure>>) {
  const name = uniqueName(`obs-${pipeline.name}`);
  const database = await createTestDatabase(infra.databaseUrl, `obs-${pipeline.name}`);
  databases.push(database);
  const isolated = { ...infra, databaseUrl: database.url };
  await pipeline.prepare?.(isolated);
  const dir = join(workDir, pipeline.name);
  const started = await startPipelineServices(pipeline, {
    infra: isolated,
    skip: generators,
    readyTimeoutMs: 120_000,
    env: {
      KAFKA_TOPIC_PREFIX: `${name}.`,
      REDIS_KEY_PREFIX: `${name}:`,
      MQTT_TOPIC_PREFIX: `${name}/`,
      LAKE_DIR: join(dir, 'lake'),
      SHIPPER_FILES: join(dir, 'access.log'),
      SHIPPER_CHECKPOINT_FILE: join(dir, 'checkpoints.json'),
    },
  });
  running.push(started);
  for (const service of started.services) {
    const response = await fetch(service.metricsUrl);
    expect(response.status, `${pipeline.name}/${service.name} ${service.metricsUrl}`).toBe(200);
    const text = await response.text();
    const label = serviceLabelOf(text);
    expect(label, `${pipeline.name}/${service.name} has a service label`).toBeDefined();
    exported.set(label as string, exposedFamilies(text));
  }
}

beforeAll(async () => {
  const infra = await ensureInfrastructure({ need: ['kafka', 'postgres', 'redis', 'mqtt'] });
  workDir = await mkdtemp(join(tmpdir(), 'streamkit-dashboard-metrics-'));
  const { pipelines, failures } = await discoverPipelines({ appsRoot: defaultAppsRoot(), builtins: [] });
  const chosen = pipelineNames.map((n) => pipelines.find((p) => p.pipeline.name === n)?.pipeline);
  // in parallel: each pipeline is isolated, and one after the other would take minutes; settled,
  // so afterAll sees every pipeline that did start even when another one failed
  const outcomes = await Promise.allSettled(
    chosen.map((pipeline, i) => {
      if (pipeline === undefined)
        throw new Error(
          `no demo pipeline ${pipelineNames[i]} (${failures.map((f) => f.message).join('; ')})`,
        );
      return runPipeline(pipeline, infra);
    }),
  );
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}, 170_000);

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await Promise.all(databases.map((d) => d.drop()));
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('dashboard metrics are exported by the services they name', () => {
  it('scraped every service the dashboards name', () => {
    const named = [...new Set(queries.flatMap((q) => q.services))].sort();
    expect(named.filter((service) => !exported.has(service))).toEqual([]);
  });

  it.each(dashboards.map((d) => [d.file] as const))('%s', (file) => {
    const missing: string[] = [];
    const checked = queries.filter((q) => q.dashboard === file);
    expect(checked.length).toBeGreaterThan(0);
    for (const query of checked) {
      for (const service of query.services) {
        const families = exported.get(service) ?? new Map<string, string>();
        const histograms = new Set([...families].filter(([, type]) => type === 'histogram').map(([f]) => f));
        const family = familyOf(query.series, histograms);
        if (!families.has(family)) missing.push(`${query.panel}: ${family} not exported by ${service}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
