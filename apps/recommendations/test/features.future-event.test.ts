// An event dated 2099 reaching ecommerce.events (not through POST /events): the features worker
// dead-letters it with the reason, and the online store — popularity counted back from the
// watermark included — and the offline event log equal a reference computed without it.
import { dlqHeaders } from '@streamkit/kafka';
import { waitFor } from '@streamkit/testkit';
import { describe, expect, it, vi } from 'vitest';
import { catalogHistory, expectOnlineStoreEquals, useFeaturesEnv } from './features.harness.ts';
import { referenceFromRecords } from './features.reference.ts';

const env = useFeaturesEnv('recs-future');
const START = Date.UTC(2026, 2, 1);
const LATENESS_MS = 600_000;

describe('features worker and a far-future event', () => {
  it('dead-letters it with the reason; the online and offline stores equal the reference without it', async () => {
    const history = catalogHistory({
      seed: 5,
      users: 12,
      userPrefix: 'ff-',
      startMs: START,
      hours: 3,
      sessionsPerUser: 2,
    });
    const first = history[0];
    if (first === undefined) throw new Error('history expected');
    const hostile = { ...first, eventId: 'hostile-2099', ts: '2099-01-01T00:00:00.000Z' };
    const half = Math.floor(history.length / 2);
    // in the middle: every event after it would be late if it moved the watermark
    const sent = [...history.slice(0, half), hostile, ...history.slice(half)];
    await env().producer.send(
      env().topics.events,
      sent.map((value) => ({ value })),
    );
    await env().startWorker({ FEATURES_ALLOWED_LATENESS_MS: String(LATENESS_MS) });

    const dlq = `${env().topics.events.name}.dlq`;
    await waitFor(async () => (await env().admin.readTopic(dlq)).length === 1, {
      timeoutMs: 60_000,
      message: 'the 2099 event is dead-lettered',
    });
    const [dead] = await env().admin.readTopic(dlq);
    expect(JSON.parse(dead?.value ?? 'null')).toEqual(hostile);
    expect(dead?.headers[dlqHeaders.errorKind]).toBe('poison');
    expect(dead?.headers[dlqHeaders.reason]).toMatch(
      /event ts must not lie more than 300000 ms in the future/,
    );

    const records = (await env().admin.readTopic(env().topics.events.name)).filter(
      (r) => JSON.parse(r.value ?? 'null').eventId !== hostile.eventId,
    );
    expect(records).toHaveLength(history.length);
    const reference = referenceFromRecords(records, env().catalog, LATENESS_MS);
    expect(reference.lateEvents).toBe(0);
    expect(reference.watermark()).toBeLessThan(Date.UTC(2027, 0, 1));
    await vi.waitFor(() => expectOnlineStoreEquals(env(), reference), { timeout: 60_000, interval: 200 });
    const { rows } = await env().pool.query<{ n: string; future: string }>(
      "SELECT count(*) AS n, count(*) FILTER (WHERE event_id = 'hostile-2099') AS future FROM recs_events",
    );
    expect(rows[0]).toEqual({ n: String(history.length), future: '0' });
  });
});
