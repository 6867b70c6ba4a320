// The PostgreSQL sink on real Kafka and Postgres: every view equals the reference computed from
// the records, and redelivery (a second group reading everything again) or re-sent lines (same
// line id at new offsets) change nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { logRecords } from './support/log-records.ts';
import { referenceViews } from '../src/views/reference-views.ts';
import { canonicalViews, useSinkEnv } from './support/sink-harness.ts';

const env = useSinkEnv('sink');

// 03:00 UTC on a fixed day, a few minutes of event time (several 5-minute windows)
const start = Date.UTC(2026, 0, 15, 3, 0, 0, 250);
const records = logRecords({ count: 1500, startMs: start, stepMs: 347, idPrefix: 'f.test' });

afterAll(async () => {});

async function produce(values: typeof records): Promise<void> {
  await env().producer.send(
    env().topics.logs,
    values.map((value) => ({ value })),
  );
}

describe('PostgreSQL sink', () => {
  it('maintains every view exactly as the reference computes it from the lines', async () => {
    await produce(records);
    await env().startSink('first');
    await expect.poll(() => env().written.inserted, { timeout: 60_000, interval: 200 }).toBe(records.length);
    expect(await env().allViews()).toEqual(canonicalViews(referenceViews(records)));
  });

  it('changes nothing when every line is delivered again, or re-sent at new offsets', async () => {
    const before = await env().allViews();
    // re-sent by a restarted shipper: same ids, new offsets
    await produce(records.slice(0, 300));
    // redelivered: a second consumer group reads the whole topic again
    await env().startSink('second');
    await expect
      .poll(() => env().written.duplicates, { timeout: 60_000, interval: 200 })
      .toBe(300 + records.length + 300);
    expect(env().written.inserted).toBe(records.length);
    expect(await env().allViews()).toEqual(before);
  });

  it('drops and counts a line behind the watermark, and counts a new line on time', async () => {
    const newest = Date.parse(records.at(-1)?.ts ?? '');
    const [late, onTime] = logRecords({ count: 2, startMs: newest, stepMs: 1, idPrefix: 'f.late' }).map(
      (r, i) => ({
        ...r,
        ts: new Date(i === 0 ? newest - 2 * 3_600_000 : newest + 1).toISOString(),
      }),
    );
    if (late === undefined || onTime === undefined) throw new Error('two records expected');
    const lateBefore = env().written.late;
    await produce([late, onTime]);
    await expect.poll(() => env().written.late - lateBefore, { timeout: 30_000, interval: 200 }).toBe(2);
    // both groups see both lines: each drops the late one; the on-time one is stored once
    expect(env().written.inserted).toBe(records.length + 1);
    expect(await env().allViews()).toEqual(canonicalViews(referenceViews([...records, onTime])));
  });
});
