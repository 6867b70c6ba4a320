// The dashboard's stream misses no committed change to the views: three sinks write batches and
// retention prunes old windows concurrently with the stream's polls, every transaction held open
// for a random time, while a page open from the start and one that joins mid-run read
// /api/stream. Each page's last snapshot must equal the views as they are at the end.
import { createRandom } from '@streamkit/random';
import { holdWritersOf } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamWindows } from '../src/dashboard/views-broadcast.ts';
import type { SinkRecord } from '../src/sink/copy-rows.ts';
import { createLogSink } from '../src/sink/log-sink.ts';
import { createRetentionPruner } from '../src/sink/retention.ts';
import { VIEW_NAMES } from '../src/views/catalog.ts';
import { readStream, startTestDashboard, type TestDashboard } from './support/dashboard-harness.ts';
import { logRecords } from './support/log-records.ts';
import { useSinkEnv } from './support/sink-harness.ts';

const env = useSinkEnv('feed');
let dashboard: TestDashboard;
const MINUTE = 60_000;
const t0 = Date.UTC(2026, 2, 1, 10, 0, 0);

beforeAll(async () => {
  dashboard = await startTestDashboard(env(), { DASHBOARD_POLL_MS: '50' });
  // every transaction that changes the per-second rollup stays open a while after it (usually up
  // to 20 ms, one in 50 for 0.3 s)
  await holdWritersOf(env().pool, 'dash_requests_1s', { typicalMs: 20, longMs: 300 });
});
afterAll(async () => {
  await dashboard?.close();
});

/** The views as a page asks for them (every view, its latest windows), read now. */
async function viewsNow(): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    VIEW_NAMES.map(async (name) => [
      name,
      (await env().reader.read(name, { limit: streamWindows[name] })).rows,
    ]),
  );
  return Object.fromEntries(entries);
}

describe('the views stream under concurrent commits', () => {
  it('ends every page on the views as committed, whoever wrote last', async () => {
    const random = createRandom('dashboard-feed');
    const url = `${dashboard.url}/api/stream`;
    const early = readStream(url);
    await expect.poll(() => early.events.length).toBeGreaterThan(0);
    let late: ReturnType<typeof readStream> | undefined;
    // the sinks allow a minute of lateness; retention keeps a minute of lines and of windows
    // (plus the widest, 5-minute window): windows older than 6 minutes go while pages watch
    const sinks = [0, 1, 2].map(() => createLogSink({ pool: env().pool, allowedLatenessMs: MINUTE }));
    const pruner = createRetentionPruner({
      pool: env().pool,
      linesRetentionMs: MINUTE,
      rollupRetentionMs: MINUTE,
      allowedLatenessMs: MINUTE,
      batchRows: 50,
      maxBatchesPerRun: 100,
    });
    let batches = 0;
    let prunes = 0;
    const until = Date.now() + 8000;
    // 8 s of writes and prunes, and at least the counts asserted below however slow a loaded machine is
    const busy = () => Date.now() < until || batches <= 60 || prunes <= 10;

    async function write(sink: (typeof sinks)[number]): Promise<void> {
      while (busy()) {
        // each batch 20 s of event time after the previous one
        const n = batches++;
        const lines = logRecords({ count: 20, startMs: t0 + n * 20_000, stepMs: 1000, idPrefix: `b${n}` });
        const records: SinkRecord[] = lines.map((value, i) => ({
          topic: env().topics.logs.name,
          partition: 0,
          offset: String(n * 20 + i),
          value: { ...value, durationMs: random.int(1, 200) },
        }));
        await sink.write(records);
        if (n === 20) late = readStream(url);
      }
    }
    async function prune(): Promise<void> {
      while (busy()) {
        await pruner.prune();
        prunes++;
      }
    }
    await Promise.all([...sinks.map(write), prune()]);
    // retention's next run comes after the last batch, as it may in production
    const { deleted } = await pruner.prune();

    expect(batches).toBeGreaterThan(60);
    expect(prunes).toBeGreaterThan(10);
    expect(Object.values(deleted ?? {}).some((n) => n > 0)).toBe(true);
    const expected = await viewsNow();
    await expect.poll(() => early.events.at(-1)?.views, { timeout: 10_000 }).toEqual(expected);
    await expect.poll(() => late?.events.at(-1)?.views, { timeout: 10_000 }).toEqual(expected);
    early.stop();
    late?.stop();
  });
});
