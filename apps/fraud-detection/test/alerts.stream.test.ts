// GET /alerts/stream: live SSE events, Last-Event-ID resume from Postgres, heartbeats, subscriber bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertsHarness,
  alertsTestApiKey,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
}

/** A minimal SSE client over fetch: collects parsed messages until closed. */
function openStream(baseUrl: string, lastEventId?: string) {
  const controller = new AbortController();
  const messages: SseMessage[] = [];
  const response = fetch(`${baseUrl}/alerts/stream`, {
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
    signal: controller.signal,
  });
  const reading = response.then(async (r) => {
    if (!r.ok || r.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of r.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) message.comment = line.slice(1).trim();
          else if (line.includes(':'))
            message[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trim();
        }
        messages.push(message);
      }
    }
  });
  return {
    response,
    messages,
    events: () => messages.filter((m) => m.event !== undefined),
    async close() {
      controller.abort();
      await reading.catch(() => undefined);
    },
  };
}

let h: AlertsHarness;

beforeAll(async () => {
  h = await startAlertsHarness({
    settings: { ALERTS_STREAM_HEARTBEAT_MS: '100', ALERTS_MAX_SUBSCRIBERS: '2' },
  });
});

afterAll(async () => {
  await h?.close();
});

describe('alert stream', () => {
  it('pushes new alerts live and resumes after Last-Event-ID with no gap and no duplicate', async () => {
    const first = openStream(h.baseUrl);
    expect((await first.response).headers.get('content-type')).toMatch(/^text\/event-stream/);
    const a = makeAlert(400);
    await h.produce([a]);
    await expect.poll(() => first.events(), { timeout: 20_000 }).toHaveLength(1);
    const [live] = first.events();
    expect(live?.event).toBe('alert');
    expect(JSON.parse(live?.data ?? '{}')).toMatchObject({ alertId: a.alertId, acknowledged: false });
    await first.close();
    await expect.poll(() => h.feed.subscriberCount).toBe(0);

    // while nobody listens: an acknowledgement and a new alert
    const ack = await h.app.inject({
      method: 'POST',
      url: `/alerts/${a.alertId}/ack`,
      headers: { 'x-api-key': alertsTestApiKey },
      payload: { by: 'ana' },
    });
    expect(ack.statusCode).toBe(200);
    const b = makeAlert(401);
    await h.produce([b]);
    await expect
      .poll(async () => (await h.store.get(b.alertId))?.alertId, { timeout: 20_000 })
      .toBe(b.alertId);

    const resumed = openStream(h.baseUrl, live?.id);
    await expect.poll(() => resumed.events().length, { timeout: 10_000 }).toBe(2);
    const [acked, next] = resumed.events();
    expect(acked?.event).toBe('ack');
    expect(JSON.parse(acked?.data ?? '{}')).toMatchObject({ alertId: a.alertId, acknowledgedBy: 'ana' });
    expect(next?.event).toBe('alert');
    expect(JSON.parse(next?.data ?? '{}')).toMatchObject({ alertId: b.alertId });
    expect(BigInt(next?.id ?? 0)).toBeGreaterThan(BigInt(acked?.id ?? 0));

    // and it is live again afterwards
    const c = makeAlert(402);
    await h.produce([c]);
    await expect
      .poll(() => resumed.events().map((e) => JSON.parse(e.data ?? '{}').alertId), { timeout: 20_000 })
      .toEqual([a.alertId, b.alertId, c.alertId]);
    await resumed.close();
  });

  it('sends heartbeats and bounds the number of subscribers', async () => {
    await expect.poll(() => h.feed.subscriberCount).toBe(0);
    const one = openStream(h.baseUrl);
    const two = openStream(h.baseUrl);
    await expect.poll(() => one.messages.some((m) => m.comment?.startsWith('heartbeat'))).toBe(true);
    await expect.poll(() => two.messages.length).toBeGreaterThan(0);
    expect(h.feed.subscriberCount).toBe(2);
    const three = await fetch(`${h.baseUrl}/alerts/stream`);
    expect(three.status).toBe(503);
    expect(three.headers.get('retry-after')).toBe('5');
    await one.close();
    await two.close();
    await expect.poll(() => h.feed.subscriberCount).toBe(0);
  });
});
