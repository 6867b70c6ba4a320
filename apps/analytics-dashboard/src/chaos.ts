// `pnpm chaos dashboard`: the analytics pipeline under seeded faults (registered in package.json).
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChaosPlan, type ChaosServiceSpec, type OutputCheck, sampleNote } from '@streamkit/chaos';
import { withPool } from '@streamkit/postgres';
import type { AccessLog } from '@streamkit/schemas';
import { createViewReader, type ViewRow } from './dashboard/view-reader.ts';
import { dashboardKey, demoShipperApiKey, pipelineService, preparePipeline } from './demo.ts';
import { dashboardScenario } from './loadgen/dashboard-scenario.ts';
import { processLine } from './shipper/line-processor.ts';
import { createUserAgentClassifier } from './shipper/user-agents.ts';
import { VIEW_NAMES, type ViewName } from './views/catalog.ts';
import { compareViews } from './views/compare-views.ts';
import { referenceViews } from './views/reference-views.ts';

const LOG_HOST = 'web-chaos.example';
/** The run's own directory (one chaos run per process): the tailed log file and the checkpoints. */
let runDir = '';
const accessLog = () => join(runDir, 'access.log');

function service(name: 'sink' | 'dashboard' | 'shipper', replicable: boolean): ChaosServiceSpec {
  return {
    name,
    replicable,
    instance: (port: number) =>
      pipelineService(name, port, {
        env: () => ({
          ...(name === 'dashboard' ? { DASHBOARD_API_KEY: dashboardKey() } : {}),
          ...(name === 'shipper'
            ? {
                SHIPPER_API_KEY: demoShipperApiKey,
                SHIPPER_FILES: accessLog(),
                // kept across a kill -9: the restarted shipper resumes where its last commit was
                SHIPPER_CHECKPOINT_FILE: join(runDir, 'shipper-checkpoints.json'),
                SHIPPER_LOG_HOST: LOG_HOST,
              }
            : {}),
        }),
        readyTimeoutMs: 120_000,
      }),
  };
}

/** A line's identity for counting copies: its event time to the ms, route, client and status. */
const lineKey = (l: Pick<AccessLog, 'ts' | 'route' | 'clientIp' | 'status'>) =>
  `${Date.parse(l.ts)} ${l.route} ${l.clientIp} ${l.status}`;

/** What the pipeline stored and shows: raw lines counted by identity, and every view. */
function readOutputs(databaseUrl: string) {
  return withPool(databaseUrl, { max: 1 }, async (pool) => {
    const { rows } = await pool.query<{
      ms: string;
      route: string;
      client_ip: string;
      status: number;
      n: string;
    }>(
      `select (extract(epoch from ts) * 1000)::bigint as ms, route, client_ip, status, count(*) as n
       from dash_log_lines group by 1, 2, 3, 4`,
    );
    const stored = new Map(rows.map((r) => [`${r.ms} ${r.route} ${r.client_ip} ${r.status}`, Number(r.n)]));
    const reader = createViewReader(pool);
    const views = {} as Record<ViewName, ViewRow[]>;
    for (const view of VIEW_NAMES) views[view] = [...(await reader.read(view, { limit: 1_000_000 })).rows];
    return { stored, views };
  });
}

export default {
  pipeline: 'dashboard',
  needs: ['kafka', 'postgres'],
  async prepare(infra) {
    runDir = mkdtempSync(join(tmpdir(), 'streamkit-chaos-dashboard-'));
    await preparePipeline(infra);
  },
  // the demo's services without its log generator: the load is the chaos run's alone. One shipper
  // (one tailer per file); the sink is the processor in a consumer group.
  services: [service('sink', true), service('dashboard', false), service('shipper', false)],
  scenario: dashboardScenario,
  scenarioOptions: (ports) => ({
    via: 'file',
    file: accessLog(),
    'dashboard-url': `http://127.0.0.1:${ports.dashboard}`,
  }),
  defaultRate: 200,
  cleanup: () => rm(runDir, { recursive: true, force: true }),
  async verify({ infra, load }): Promise<OutputCheck[]> {
    // --via file: an operation is accepted when the append that carried its line resolved, so the
    // file holds exactly the accepted lines; the reference is what the shipper makes of each
    const written = (await readFile(accessLog(), 'utf8')).split('\n').filter((line) => line !== '');
    const agents = createUserAgentClassifier();
    const lines: AccessLog[] = [];
    const unreadable: string[] = [];
    for (const raw of written) {
      const outcome = processLine(raw, { source: 'file', defaultHost: LOG_HOST }, agents);
      if (outcome.ok) lines.push(outcome.log);
      else unreadable.push(outcome.rejected.reason);
    }
    const { stored, views } = await readOutputs(infra.databaseUrl);
    const expected = new Map<string, number>();
    for (const line of lines) expected.set(lineKey(line), (expected.get(lineKey(line)) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    const lostKeys: string[] = [];
    for (const key of new Set([...expected.keys(), ...stored.keys()])) {
      const difference = (stored.get(key) ?? 0) - (expected.get(key) ?? 0);
      if (difference < 0) lostKeys.push(key);
      lost += Math.max(0, -difference);
      duplicated += Math.max(0, difference);
    }
    const differences = compareViews(referenceViews(lines), views).filter(
      (d) => d.missing.length + d.extra.length > 0,
    );
    const referenceRows = Object.values(referenceViews(lines)).reduce((sum, rows) => sum + rows.length, 0);
    return [
      {
        output: 'dash_log_lines (raw lines)',
        expectation: 'every accepted line exactly once',
        expected: lines.length,
        lost,
        duplicated,
        notes: [
          ...(written.length === load.accepted.size
            ? []
            : [`the log file holds ${written.length} lines for ${load.accepted.size} accepted operations`]),
          ...(unreadable.length > 0
            ? [`${unreadable.length} written lines unreadable: ${unreadable[0]}`]
            : []),
          ...sampleNote('accepted, not stored (ms route client status)', lostKeys),
        ],
      },
      {
        output: 'the seven views (dashboard-postgres)',
        expectation: 'every row equal to the reference computed from the accepted lines',
        expected: referenceRows,
        lost: differences.reduce((sum, d) => sum + d.missing.length, 0),
        duplicated: differences.reduce((sum, d) => sum + d.extra.length, 0),
        notes: differences.map(
          (d) =>
            `${d.view}: ${d.missing.length} reference rows not shown as computed, ${d.extra.length} rows not in the reference (first: ${JSON.stringify(d.missing[0] ?? d.extra[0])})`,
        ),
      },
    ];
  },
} satisfies ChaosPlan;
