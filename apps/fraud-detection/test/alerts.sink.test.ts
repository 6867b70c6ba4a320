// fraud.alerts → Postgres → GET /alerts: exactly once, filters and keyset pages against a reference, ack.
import type { FraudAlert } from '@streamkit/schemas';
import { createKafkaTestAdmin, type KafkaTestAdmin, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlertRecord } from '../src/alerts/alert-record.ts';
import {
  type AlertsHarness,
  alertsReadHeaders,
  alertsTestApiKey,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

let h: AlertsHarness;
let admin: KafkaTestAdmin;
const produced: FraudAlert[] = Array.from({ length: 23 }, (_, i) => makeAlert(i));

async function consumedEverything(): Promise<boolean> {
  const end = await admin.endOffsets(h.topics.alerts.name);
  const committed = await admin.committedOffsets(h.groupId, h.topics.alerts.name);
  return [...end].every(([partition, offset]) => offset === 0 || committed.get(partition) === offset);
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await h.app.inject({ method: 'GET', url: path, headers: alertsReadHeaders });
  return { status: response.statusCode, body: response.json() as T };
}

/** Every page of a listing, following nextCursor. */
async function listAll(query: Record<string, string>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const { status, body } = await get<{ alerts: AlertRecord[]; nextCursor: string | null }>(
      `/alerts?${params}`,
    );
    expect(status).toBe(200);
    expect(body.alerts.length).toBeLessThanOrEqual(limit);
    ids.push(...body.alerts.map((a) => a.alertId));
    cursor = body.nextCursor;
  } while (cursor !== null);
  return ids;
}

function reference(filter: (a: FraudAlert) => boolean): string[] {
  return produced
    .filter(filter)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.alertId.localeCompare(a.alertId))
    .map((a) => a.alertId);
}

beforeAll(async () => {
  h = await startAlertsHarness();
  admin = await createKafkaTestAdmin(inject('infrastructure').kafkaBrokers);
  await h.produce(produced);
  // the same alerts again, as a redelivery would bring them, with different contents
  await h.produce(produced.map((a) => ({ ...a, score: 0.01, createdAt: '2030-01-01T00:00:00.000Z' })));
  await waitFor(consumedEverything, { timeoutMs: 30_000, message: 'alerts consumer did not catch up' });
});

afterAll(async () => {
  await admin?.disconnect();
  await h?.close();
});

describe('alerts sink', () => {
  it('stores each alert exactly once, keeping the first version', async () => {
    const { rows } = await h.pool.query<{ n: number; distinct_alerts: number }>(
      'select count(*)::int as n, count(distinct alert_id)::int as distinct_alerts from fraud_alerts',
    );
    expect(rows[0]).toEqual({ n: produced.length, distinct_alerts: produced.length });
    const events = await h.pool.query<{ n: number }>(
      "select count(*)::int as n from fraud_alert_events where kind = 'alert'",
    );
    expect(events.rows[0]?.n).toBe(produced.length);

    const first = produced[4] as FraudAlert;
    const { status, body } = await get<AlertRecord>(`/alerts/${first.alertId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ...first, acknowledged: false, acknowledgedBy: null });
    expect(Date.parse(body.receivedAt)).toBeGreaterThan(0);
  });

  it('lists newest first and pages with cursors, as the reference says', async () => {
    expect(await listAll({}, 5)).toEqual(reference(() => true));
    expect(await listAll({ decision: 'decline' }, 4)).toEqual(reference((a) => a.decision === 'decline'));
    expect(await listAll({ cardId: 'card-1' }, 3)).toEqual(reference((a) => a.cardId === 'card-1'));
    const since = (produced[15] as FraudAlert).createdAt;
    expect(await listAll({ since, decision: 'review' }, 2)).toEqual(
      reference((a) => a.createdAt >= since && a.decision === 'review'),
    );
    expect(await listAll({}, 200)).toHaveLength(produced.length);
  });

  it('rejects bad queries naming the field', async () => {
    const tooMany = await get<{ error: string; fields: { field: string }[] }>('/alerts?limit=201');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields.map((f) => f.field)).toEqual(['limit']);
    const badDecision = await get<{ fields: { field: string }[] }>('/alerts?decision=approve');
    expect(badDecision.status).toBe(400);
    expect(badDecision.body.fields[0]?.field).toBe('decision');
    const badCursor = await get('/alerts?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor).toEqual({
      status: 400,
      body: {
        error: 'bad_request',
        message: 'invalid query string',
        fields: [{ field: 'cursor', message: 'cursor is not one this service issued' }],
      },
    });
    expect(await get('/alerts/no-such-alert')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no alert no-such-alert' },
    });
    expect(await get('/no-such-route')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no route GET /no-such-route' },
    });
  });

  it('acknowledges once, idempotently, only with the API key', async () => {
    const target = produced[7] as FraudAlert;
    const url = `/alerts/${target.alertId}/ack`;
    const post = (headers: Record<string, string>, payload: unknown) =>
      h.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

    for (const headers of [{}, { 'x-api-key': 'wrong-key-wrong-key' }] as Record<string, string>[]) {
      const refused = await post(headers, { by: 'ana' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ error: 'unauthorized', message: 'send a valid x-api-key header' });
    }
    const invalid = await post({ 'x-api-key': alertsTestApiKey }, { by: '', extra: 1 });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['by', 'extra']);

    const missing = await post({ 'x-api-key': alertsTestApiKey }, {});
    expect(missing.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body',
      fields: [{ field: 'by', message: 'is required' }],
    });

    const first = await post({ 'x-api-key': alertsTestApiKey }, { by: 'ana', note: 'called the cardholder' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      alreadyAcknowledged: false,
      alert: {
        alertId: target.alertId,
        acknowledged: true,
        acknowledgedBy: 'ana',
        ackNote: 'called the cardholder',
      },
    });
    const again = await post({ 'x-api-key': alertsTestApiKey }, { by: 'bob' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyAcknowledged: true, alert: { acknowledgedBy: 'ana' } });
    expect(again.json().alert.acknowledgedAt).toBe(first.json().alert.acknowledgedAt);

    const unknown = await h.app.inject({
      method: 'POST',
      url: '/alerts/no-such-alert/ack',
      headers: { 'x-api-key': alertsTestApiKey },
      payload: { by: 'ana' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no alert no-such-alert' });

    const events = await h.pool.query<{ n: number }>(
      "select count(*)::int as n from fraud_alert_events where kind = 'ack'",
    );
    expect(events.rows[0]?.n).toBe(1);
    expect(await listAll({ acknowledged: 'true' }, 10)).toEqual([target.alertId]);
    expect(await listAll({ acknowledged: 'false' }, 10)).toEqual(
      reference((a) => a.alertId !== target.alertId),
    );
  });

  it('reports health and metrics', async () => {
    const health = await get<{ status: string }>('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      new RegExp(
        `streamkit_events_in_total\\{[^}]*topic="${h.topics.alerts.name}"[^}]*\\} ${produced.length * 2}`,
      ),
    );
  });
});
