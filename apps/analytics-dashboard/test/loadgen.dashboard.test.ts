// Smoke test of `pnpm loadgen dashboard`: lines appended to the tailed file (and POSTed) complete
// when the dashboard's API counts them in the view, through shipper → Kafka → sink → views.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCompleted, outcomeOf, runInRealTime } from '@streamkit/loadgen';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardScenario } from '../src/loadgen/dashboard-scenario.ts';
import { startTestDashboard, type TestDashboard } from './support/dashboard-harness.ts';
import { type FileShipper, startFileShipper } from './support/file-shipper.ts';
import { useSinkEnv } from './support/sink-harness.ts';

const infra = inject('infrastructure');
const env = useSinkEnv('loadgen');
let dashboard: TestDashboard;
let shipper: FileShipper;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-loadgen-'));
  shipper = await startFileShipper(env(), dir, 'web-loadgen.example');
  dashboard = await startTestDashboard(env());
  await env().startSink();
});

afterAll(async () => {
  await dashboard?.close();
  await shipper?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Lines at `rate` for `durationS` on `routes` routes, written to the file or POSTed to the shipper. */
function runDashboardScenario(
  via: 'file' | 'http',
  run: { readonly routes: number; readonly rate: number; readonly durationS: number },
) {
  return runInRealTime({
    scenario: dashboardScenario,
    options: {
      via,
      file: shipper.file,
      'shipper-url': shipper.url,
      'dashboard-url': dashboard.url,
      routes: run.routes,
      'flush-ms': 5,
      'poll-ms': 25,
    },
    settings: { rate: run.rate, durationS: run.durationS, warmupS: 0, maxInFlight: 10_000, drainS: 30 },
    environment: { ...infra, kafkaClientId: `loadgen-smoke-${via}` },
  });
}

describe('loadgen scenario dashboard', () => {
  it('completes every line written to the file when the API serves it counted, on --routes routes', async () => {
    const result = await runDashboardScenario('file', { routes: 7, rate: 200, durationS: 2 });
    expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(400));

    // the lines went through the file, on exactly 7 routes of the run's own, which the view counts
    const lines = (await readFile(shipper.file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(400);
    const routes = new Set(lines.map((l) => / (\/loadgen-[a-z]+\/r-[a-z]+) HTTP/.exec(l)?.[1]));
    expect(routes.size).toBe(7);
    const view = await env().reader.read('latency_per_route_per_minute', { limit: 1000 });
    const counted = view.rows
      .filter((r) => routes.has(String(r.route)))
      .reduce((sum, r) => sum + Number(r.requests), 0);
    expect(counted).toBe(400);
  });

  it('completes lines POSTed to the shipper too', async () => {
    const result = await runDashboardScenario('http', { routes: 3, rate: 100, durationS: 1 });
    expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(100));
  });
});
