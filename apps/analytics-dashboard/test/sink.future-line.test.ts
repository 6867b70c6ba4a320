// A log line dated 2099 reaching logs.http (from anywhere, not only the shipper): the sink
// dead-letters it with the reason, and max_event_ts, every later line and every view are what they
// would be without it.
import { dlqHeaders } from '@streamkit/kafka';
import { dlqTopicName } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logRecords } from './support/log-records.ts';
import { referenceViews } from '../src/views/reference-views.ts';
import { canonicalViews, useSinkEnv } from './support/sink-harness.ts';

const infra = inject('infrastructure');
const env = useSinkEnv('sink-future');
let admin: KafkaTestAdmin;

const start = Date.UTC(2026, 0, 15, 3, 0, 0, 250);
const records = logRecords({ count: 400, startMs: start, stepMs: 911, idPrefix: 'f.future' });

beforeAll(async () => {
  admin = await createKafkaTestAdmin(infra.kafkaBrokers);
});
afterAll(async () => {
  await admin?.disconnect();
});

describe('PostgreSQL sink and a far-future line', () => {
  it('dead-letters it with the reason; the watermark, later lines and every view are unaffected', async () => {
    const [template] = logRecords({ count: 1, startMs: start, stepMs: 1, idPrefix: 'f.hostile' });
    if (template === undefined) throw new Error('one record expected');
    const hostile = { ...template, ts: '2099-01-01T00:00:00.000Z' };
    // the 2099 line among the others: the ones after it would all be late if it moved max_event_ts
    const sent = [...records.slice(0, 100), hostile, ...records.slice(100)];
    await env().producer.send(
      env().topics.logs,
      sent.map((value) => ({ value })),
    );
    await env().startSink();

    await expect.poll(() => env().written.inserted, { timeout: 60_000, interval: 200 }).toBe(records.length);
    const dlq = dlqTopicName(env().topics.logs.name);
    await waitFor(async () => (await admin.readTopic(dlq)).length === 1, {
      timeoutMs: 30_000,
      message: 'the 2099 line is dead-lettered',
    });
    const [dead] = await admin.readTopic(dlq);
    expect(JSON.parse(dead?.value ?? 'null')).toEqual(hostile);
    expect(dead?.headers[dlqHeaders.errorKind]).toBe('poison');
    expect(dead?.headers[dlqHeaders.reason]).toMatch(
      /log line ts must not lie more than 300000 ms in the future/,
    );

    expect(env().written.late).toBe(0);
    const { rows } = await env().pool.query<{ max_event_ts: Date }>(
      'select max_event_ts from dash_views_version where id = 1',
    );
    expect(rows[0]?.max_event_ts.toISOString()).toBe(records.at(-1)?.ts);
    expect(await env().allViews()).toEqual(canonicalViews(referenceViews(records)));
  });
});
