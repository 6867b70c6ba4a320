// The dashboard's live feed misses no committed window change: writers on real connections commit
// upserts concurrently with the feed's polls, their transactions held open for random times (two
// for longer than the old 10 s overlap, committing after hundreds of later ones), while real SSE
// clients read /api/stream. Each client's view must end equal to the table.
import { createRandom } from '@streamkit/random';
import { commitConcurrently, type EventStreamClient, openEventStream } from '@streamkit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LiveWindow } from '../src/analytics/live-store.ts';
import { type AnalyticsTestEnv, analyticsKeyHeaders, createAnalyticsTestEnv } from './analytics.support.ts';

const infra = inject('infrastructure');
let env: AnalyticsTestEnv;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createAnalyticsTestEnv(infra, 'iot-feed');
  pool = new pg.Pool({ connectionString: env.db.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await env?.close();
});

type Row = Pick<LiveWindow, 'deviceId' | 'windowStart' | 'readingCount' | 'version'>;
const keyOf = (w: { deviceId: string; windowStart: string }) =>
  `${w.deviceId}@${new Date(w.windowStart).toISOString()}`;

/** What a client knows after the messages so far: per window, the copy with the highest version. */
function viewOf(stream: EventStreamClient): Map<string, Row> {
  const view = new Map<string, Row>();
  const keep = (w: Row) => {
    const known = view.get(keyOf(w));
    if (known === undefined || w.version > known.version) view.set(keyOf(w), w);
  };
  for (const message of stream.events()) {
    const data = JSON.parse(message.data ?? 'null');
    if (message.event === 'snapshot') for (const w of data.devices) keep(w);
    if (message.event === 'window') keep(data);
  }
  return view;
}

const summary = (rows: Iterable<Row>) =>
  Object.fromEntries([...rows].map((w) => [keyOf(w), `${w.readingCount} v${w.version}`]).sort());

/** Each device's newest window, as the fleet grid shows it. */
function fleetOf(rows: Iterable<Row>): Record<string, string> {
  const newest = new Map<string, Row>();
  for (const w of rows) {
    const shown = newest.get(w.deviceId);
    if (shown === undefined || Date.parse(w.windowStart) > Date.parse(shown.windowStart))
      newest.set(w.deviceId, w);
  }
  return summary(newest.values());
}

const BASE = Date.parse('2026-05-01T10:00:00Z');
/** Writers 0 and 1 hold a transaction past the old overlap, writer 2 for up to 1.5 s, on windows of
 * their own (so nobody waits 10 s for their locks); writers 3-5 share windows and wait for each other. */
const DEVICES = [['feed-slow-0'], ['feed-slow-1'], ['feed-mid-0', 'feed-mid-1']];
const SHARED = Array.from({ length: 6 }, (_, d) => `feed-${d}`);
/** Longer than the 10 s the old feed looked back, so its rows were missed. */
const LONG_HOLD_MS = [10_300, 10_600];

describe('the live window feed under concurrent commits', () => {
  it('delivers every committed window at its latest state, however long its transaction and whatever the commit order', async () => {
    const url = `${env.baseUrl}/api/stream`;
    const early = openEventStream(url, { headers: analyticsKeyHeaders });
    await expect.poll(() => early.events('snapshot').length).toBe(1);
    let late: EventStreamClient | undefined;
    let lateSubscribedAt = Number.POSITIVE_INFINITY;
    let readingCount = 0;
    const random = createRandom('iot-live-feed');

    const { committed } = await commitConcurrently({
      databaseUrl: env.db.url,
      writers: 6,
      durationMs: 10_700,
      work: async (client, { writer, round }) => {
        // a second dashboard opens mid-run: it must get the snapshot and every change after it
        if (writer === 5 && round === 15) {
          const opened = openEventStream(url, { headers: analyticsKeyHeaders });
          late = opened;
          void opened.response.then(() => {
            lateSubscribedAt = Date.now();
          });
        }
        const devices = DEVICES[writer] ?? SHARED;
        const keys = new Set<string>();
        for (let i = random.int(1, 3); i > 0; i--)
          keys.add(`${random.pick(devices)}|${BASE + random.int(0, 4) * 60_000}`);
        const rows: Row[] = [];
        // in key order, so writers of the same windows wait for each other instead of deadlocking
        for (const key of [...keys].sort()) {
          const [deviceId, start] = key.split('|');
          const count = ++readingCount;
          const r = await client.query<{ version: string }>(
            `INSERT INTO iot_window_aggregates (device_id, window_start, window_end, reading_count, metrics)
             VALUES ($1, to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0 + 60), $3, '{}')
             ON CONFLICT (device_id, window_start) DO UPDATE SET reading_count = EXCLUDED.reading_count,
               updated_at = now()
             RETURNING version`,
            [deviceId, start, count],
          );
          rows.push({
            deviceId: deviceId ?? '',
            windowStart: new Date(Number(start)).toISOString(),
            readingCount: count,
            version: Number(r.rows[0]?.version),
          });
        }
        return rows;
      },
      holdMs: ({ writer, round }) => {
        if (writer < 2) return round === 0 ? (LONG_HOLD_MS[writer] ?? 0) : random.int(0, 200);
        if (writer === 2) return random.int(0, 1500);
        return random.int(0, 120);
      },
    });

    const { rows: table } = await pool.query<Row>(
      `SELECT device_id AS "deviceId", window_start AS "windowStart", reading_count AS "readingCount",
         version::float8 AS version FROM iot_window_aggregates`,
    );
    // the run did what it is meant to: many commits (hundreds on an idle machine, about a hundred
    // at load 20 on 2 cores), two of them held past the old overlap while dozens of others
    // committed, and a second dashboard subscribed in the middle
    expect(committed.length).toBeGreaterThan(60);
    const long = committed.filter((c) => c.writer < 2 && c.round === 0);
    expect(long).toHaveLength(2);
    for (const c of long)
      expect(committed.filter((o) => o.commitSentAt < c.commitSentAt).length).toBeGreaterThan(25);
    expect(lateSubscribedAt).toBeLessThan(committed.at(-1)?.commitSentAt ?? 0);

    // the dashboard open from the start ends with exactly the table
    await expect.poll(() => summary(viewOf(early).values()), { timeout: 10_000 }).toEqual(summary(table));

    // the one that joined mid-run: the fleet as the table has it, and every window whose last
    // commit came after it subscribed, at that commit's version
    const lateView = () => viewOf(late as EventStreamClient);
    await expect.poll(() => fleetOf(lateView().values()), { timeout: 10_000 }).toEqual(fleetOf(table));
    const lastWrite = new Map<string, { row: Row; at: number }>();
    for (const c of committed)
      for (const row of c.value) lastWrite.set(keyOf(row), { row, at: c.commitSentAt });
    const afterJoin = [...lastWrite.values()].filter((w) => w.at > lateSubscribedAt).map((w) => w.row);
    expect(afterJoin.length).toBeGreaterThan(0);
    expect(summary(afterJoin.map((w) => lateView().get(keyOf(w)) ?? { ...w, version: -1 }))).toEqual(
      summary(afterJoin),
    );
    await Promise.all([early.close(), late?.close()]);
  });
});
