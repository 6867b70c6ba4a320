// `pnpm loadgen dashboard`: log lines written (to the tailed file, or POST /logs) → counted in the
// view the dashboard's API serves (shipper → Kafka → sink → views → GET /api/views/:name).
import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { env, loadConfig } from '@streamkit/config';
import { defineScenario } from '@streamkit/loadgen';
import { dashboardKey, demoLoadgenFile, demoShipperApiKey } from '../demo.ts';
import { createTraffic } from '../loggen/traffic.ts';
import { createLineBatcher } from './line-batcher.ts';
import { createCombinedLineMaker } from './line-templates.ts';
import { COUNTED_VIEW, createViewCounter, letters } from './view-counter.ts';

const options = {
  via: {
    type: 'string',
    default: 'file',
    description: 'file (append to --file, which the shipper tails) or http (POST /logs)',
  },
  file: {
    type: 'string',
    default: demoLoadgenFile,
    description: 'the log file the shipper tails (pnpm demo dashboard tails this one)',
  },
  'shipper-url': {
    type: 'string',
    default: 'http://127.0.0.1:8093',
    description: 'the shipper, for --via http',
  },
  'dashboard-url': {
    type: 'string',
    default: 'http://127.0.0.1:8094',
    description: 'the dashboard whose GET /api/views/:name is read back',
  },
  routes: {
    type: 'int',
    default: 10,
    min: 1,
    max: 300,
    description: 'distinct routes the lines spread over (state size: rows per minute in the views)',
  },
  'flush-ms': {
    type: 'int',
    default: 5,
    min: 1,
    max: 1000,
    description: 'lines are written in batches this often',
  },
  'poll-ms': {
    type: 'int',
    default: 25,
    min: 5,
    max: 1000,
    description: 'how often the view is read back (bounds the latency resolution)',
  },
} as const;

/**
 * Each operation is one access-log line on one of this run's own routes
 * (`/loadgen-<run>/<route letters>`, `--routes` of them, round-robin), timed now. The lines share one
 * host, so they stay in order on one partition and reach the views in the order they were written:
 * when the view served by the API counts C of the run's lines, the first C operations written are
 * complete, at the time of that read. (`--via http` keeps the order too: one POST at a time.)
 */
export const dashboardScenario = defineScenario({
  name: 'dashboard',
  description: `access-log lines written to the tailed file (or POST /logs) → counted in ${COUNTED_VIEW} served by the dashboard API`,
  options,
  async setup(ctx) {
    const { runId, clock } = ctx;
    const o = ctx.options;
    if (o.via !== 'file' && o.via !== 'http') throw new Error(`--via must be file or http, got ${o.via}`);
    const config = loadConfig({ apiKey: env.secret('SHIPPER_API_KEY', { optional: true }) });
    // letters only, so that route normalization leaves the run's routes as they are
    const runTag = letters(createHash('sha256').update(runId).digest().readUInt32BE(0));
    const routePrefix = `/loadgen-${runTag}/`;
    const routes = Array.from({ length: o.routes }, (_, i) => `${routePrefix}r-${letters(i)}`);
    const counter = createViewCounter({
      dashboardUrl: o['dashboard-url'],
      apiKey: dashboardKey(),
      routePrefix,
      fetchTimeoutMs: 30_000,
    });
    await counter.count(Date.now()); // fails fast when the dashboard is not there

    // operations in the order their lines were written (and each line's event time); the view's
    // count says how many are done
    const written: number[] = [];
    const writtenAtMs: number[] = [];
    let completed = 0;
    let polling = true;
    const poller = (async () => {
      let failures = 0;
      while (polling) {
        try {
          const now = Date.now();
          const counted = await counter.count(now, writtenAtMs[completed] ?? now);
          const endNs = clock.nowNs();
          while (completed < Math.min(counted, written.length))
            ctx.recordLatency({ operation: written[completed++] as number, endNs });
          failures = 0;
        } catch (error) {
          if (++failures === 1)
            ctx.log(`reading ${COUNTED_VIEW} failed, retrying: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, o['poll-ms']));
      }
    })();

    const file = resolve(o.file);
    if (o.via === 'file') await mkdir(dirname(file), { recursive: true });
    // one handle for the run: opening the file for every flush (200 a second) was an eighth of the
    // generator's CPU at 6,000 lines/s; O_APPEND keeps each write at the end of the file
    const appender = o.via === 'file' ? await open(file, 'a') : undefined;
    const apiKey = config.apiKey ?? demoShipperApiKey;
    const write =
      appender !== undefined
        ? (lines: string[]) => appender.appendFile(`${lines.join('\n')}\n`)
        : async (lines: string[]) => {
            const response = await fetch(new URL('/logs', o['shipper-url']), {
              method: 'POST',
              headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
              body: lines.join('\n'),
            });
            if (response.status !== 202)
              throw Object.assign(new Error(`HTTP ${response.status}`), { kind: `http-${response.status}` });
          };
    const batcher = createLineBatcher(write, o['flush-ms'], 5000);
    const traffic = createTraffic({ seed: 1, hosts: ['web-load.example'], errorRate: 0.02 });
    // 1,024 made-up requests, cycled: their lines differ in time and route, as before, and share
    // status, size, request time and agent with every 1,024th line
    const makeLine = createCombinedLineMaker(Array.from({ length: 1024 }, () => traffic(0)));
    ctx.log(
      `writing to ${o.via === 'file' ? file : o['shipper-url']}, reading ${COUNTED_VIEW} routes ${routePrefix}* from ${o['dashboard-url']}`,
    );

    return {
      send(operation, intendedAtNs) {
        const atMs = clock.epochMsAt(intendedAtNs);
        written.push(operation);
        writtenAtMs.push(atMs);
        const line = makeLine(operation, atMs, routes[operation % routes.length] as string);
        return batcher.add(line).catch((error: unknown) => {
          // never written, so never counted: it must not take the place of a later line
          const at = written.indexOf(operation, completed);
          if (at >= 0) {
            written.splice(at, 1);
            writtenAtMs.splice(at, 1);
          }
          throw error;
        });
      },
      async teardown() {
        try {
          await batcher.close();
        } finally {
          await appender?.close();
        }
        polling = false;
        await poller;
      },
    };
  },
});
