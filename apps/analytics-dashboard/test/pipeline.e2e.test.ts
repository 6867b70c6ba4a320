// Golden end-to-end: a log file with known content — malformed lines, a rotation mid-way, a
// shipper killed with SIGKILL and restarted — goes through the real shipper (a child process),
// Kafka and the PostgreSQL sink, and every view equals the reference computed from the file's
// requests, exactly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusClassOf } from '@streamkit/schemas';
import { createKafkaTestAdmin, createServiceProcesses, type KafkaTestAdmin } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine, type GeneratedRequest } from '../src/loggen/access-line.ts';
import { createLogWriter } from '../src/loggen/log-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { normalizeRoute } from '../src/shipper/routes.ts';
import { latencyBucketMs } from '../src/views/latency-buckets.ts';
import { referenceViews } from '../src/views/reference-views.ts';
import { startShipperProcess } from './support/shipper-process.ts';
import { canonicalViews, createSinkTestEnv, type SinkTestEnv } from './support/sink-harness.ts';

const infra = inject('infrastructure');
let env: SinkTestEnv;
let admin: KafkaTestAdmin;
let dir: string;
const processes = createServiceProcesses();

beforeAll(async () => {
  env = await createSinkTestEnv(infra, 'e2e');
  admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  dir = await mkdtemp(join(tmpdir(), 'dash-e2e-'));
});
afterAll(async () => {
  processes.killAll();
  await admin?.disconnect();
  await env?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function startShipper(file: string) {
  return startShipperProcess(processes, {
    kafkaBrokers: infra.kafkaBrokers,
    topicPrefix: env.prefix,
    file,
    checkpointFile: join(dir, 'checkpoints.json'),
    logHost: 'web-e2e.example',
    env: { SHIPPER_MAX_BATCH_LINES: '500' },
  });
}

/** The file's lines: requests 15 ms apart in event time (about 6 minutes), a malformed line now and then. */
function fileContent(from: number, count: number, traffic: (t: number) => GeneratedRequest) {
  const requests: GeneratedRequest[] = [];
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    if (i % 997 === 0) lines.push(`garbage line ${i} [not a log line`);
    const request = traffic(Date.UTC(2025, 5, 1, 12, 0, 0) + i * 15);
    requests.push(request);
    lines.push(combinedLine(request));
  }
  return { requests, lines };
}

const onTopic = async () =>
  [...(await admin.endOffsets(env.topics.logs.name)).values()].reduce((a, b) => a + b, 0);

describe('log file → shipper → Kafka → sink → views', () => {
  it('every view equals the reference from the file, through malformed lines, kill -9 and rotation', async () => {
    const path = join(dir, 'access.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 2 });
    const traffic = createTraffic({ seed: 42, hosts: ['web-e2e.example'], errorRate: 0.04 });
    const a = fileContent(0, 12_000, traffic);
    const b = fileContent(12_000, 6_000, traffic);
    const c = fileContent(18_000, 6_000, traffic);
    await env.startSink();

    await writer.append(a.lines);
    const first = startShipper(path);
    await expect.poll(onTopic, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    await first.stop('SIGKILL');
    expect(await onTopic(), 'the kill must land mid-file').toBeLessThan(a.requests.length);

    await writer.append(b.lines);
    const second = startShipper(path);
    try {
      await expect.poll(onTopic, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(12_000);
      await writer.rotate();
      await writer.append(c.lines);

      const requests = [...a.requests, ...b.requests, ...c.requests];
      await expect.poll(() => env.written.inserted, { timeout: 90_000, interval: 250 }).toBe(requests.length);
      const expected = requests.map((r) => ({
        ts: new Date(r.time).toISOString(),
        statusClass: statusClassOf(r.status),
        route: normalizeRoute(r.path),
        path: r.path,
        clientIp: r.clientIp,
        // the generator's request times have µs; the documented resolution is whole ms, halves up
        durationMs: Math.round(r.durationMs),
      }));
      expect(await env.allViews()).toEqual(canonicalViews(referenceViews(expected)));

      // the latency histogram is bounded: one row per (minute, route, bucket), not one per line
      const buckets = new Set(
        expected.map(
          (l) => `${Math.floor(Date.parse(l.ts) / 60_000)} ${l.route} ${latencyBucketMs(l.durationMs)}`,
        ),
      );
      const histogram = await env.pool.query<{ rows: number }>(
        'select count(*)::int as rows from dash_latency_1m',
      );
      expect(histogram.rows[0]?.rows).toBe(buckets.size);

      const malformed = [...a.lines, ...b.lines, ...c.lines].filter((l) => l.startsWith('garbage')).length;
      const rejected = await admin.readTopic(env.topics.rejected.name);
      expect(new Set(rejected.map((r) => JSON.parse(r.value ?? '{}').raw)).size).toBe(malformed);
    } finally {
      await second.stop('SIGTERM');
    }
  });
});
