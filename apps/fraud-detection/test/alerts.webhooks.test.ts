// Webhook outbox: signed deliveries to a real HTTP receiver, retries with backoff, restart survival.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@streamkit/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStore } from '../src/alerts/delivery-store.ts';
import { verifyWebhookSignature } from '../src/alerts/webhook-signature.ts';
import {
  startWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerSettings,
} from '../src/alerts/webhook-worker.ts';
import { type AlertsHarness, makeAlert, startAlertsHarness } from './support/alerts-harness.ts';

const secret = 'test-webhook-secret-0123456789';

interface Received {
  readonly at: number;
  readonly alertId: string;
  readonly deliveryId: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
}

/** A real HTTP receiver; `answer` picks the status for each request (by alert and attempt number). */
const received: Received[] = [];
let answer: (alertId: string, attemptNo: number) => number = () => 204;
let receiver: Server;
let h: AlertsHarness;
const workers: WebhookWorker[] = [];

function startWorker(overrides: Partial<WebhookWorkerSettings> = {}): WebhookWorker {
  const worker = startWebhookWorker({
    store: createDeliveryStore(h.pool),
    secret,
    maxAttempts: 5,
    initialBackoffMs: 80,
    maxBackoffMs: 400,
    concurrency: 4,
    requestTimeoutMs: 2000,
    pollIntervalMs: 50,
    logger: silentLogger,
    ...overrides,
  });
  workers.push(worker);
  return worker;
}

const hits = (alertId: string) => received.filter((r) => r.alertId === alertId);

async function delivery(alertId: string) {
  const { rows } = await h.pool.query<{ status: string; attempts: number; last_error: string | null }>(
    'select status, attempts, last_error from fraud_alert_deliveries where alert_id = $1',
    [alertId],
  );
  return rows;
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const alertId = (JSON.parse(body) as { alert: { alertId: string } }).alert.alertId;
      received.push({
        at: performance.now(),
        alertId,
        deliveryId: String(request.headers['x-streamkit-delivery-id']),
        timestamp: String(request.headers['x-streamkit-timestamp']),
        signature: String(request.headers['x-streamkit-signature']),
        body,
      });
      response.writeHead(answer(alertId, hits(alertId).length)).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  // the service records deliveries; each test runs the worker that sends them with its own settings
  h = await startAlertsHarness({
    settings: { ALERT_WEBHOOK_URLS: `http://127.0.0.1:${port}/hooks/fraud`, ALERT_WEBHOOK_WORKER: 'false' },
  });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await h?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('alert webhooks', () => {
  it('delivers every new alert once, signed with HMAC-SHA256 over deliveryId.timestamp.body', async () => {
    const alerts = [makeAlert(100), makeAlert(101), makeAlert(102)];
    const worker = startWorker();
    await h.produce(alerts);
    await h.produce(alerts); // a redelivery creates no second delivery
    for (const alert of alerts) {
      await expect
        .poll(() => delivery(alert.alertId), { timeout: 20_000 })
        .toEqual([{ status: 'delivered', attempts: 1, last_error: null }]);
    }
    await worker.stop();
    for (const alert of alerts) {
      const [hit, ...more] = hits(alert.alertId);
      expect(more).toHaveLength(0);
      if (hit === undefined) throw new Error(`no delivery for ${alert.alertId}`);
      // what a receiver does, written out without the service's helper ...
      const signed = `${hit.deliveryId}.${hit.timestamp}.${hit.body}`;
      const expected = `sha256=${createHmac('sha256', secret).update(signed).digest('hex')}`;
      expect(hit.signature).toBe(expected);
      expect(Math.abs(Date.now() / 1000 - Number(hit.timestamp))).toBeLessThan(60);
      // ... and with it: a wrong secret, an altered body or another delivery id fails
      const check = {
        deliveryId: hit.deliveryId,
        body: hit.body,
        timestamp: hit.timestamp,
        signature: hit.signature,
      };
      expect(verifyWebhookSignature({ secret, ...check })).toBe(true);
      expect(verifyWebhookSignature({ secret: `${secret}x`, ...check })).toBe(false);
      expect(verifyWebhookSignature({ secret, ...check, body: hit.body.replace('EUR', 'USD') })).toBe(false);
      expect(verifyWebhookSignature({ secret, ...check, deliveryId: crypto.randomUUID() })).toBe(false);
      expect(JSON.parse(hit.body)).toMatchObject({
        type: 'fraud.alert',
        alert: { ...alert, acknowledged: false },
      });
      expect(hit.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('retries a failing receiver with growing backoff and delivers on the third attempt', async () => {
    const alert = makeAlert(110);
    answer = (alertId, attemptNo) => (alertId === alert.alertId && attemptNo <= 2 ? 500 : 204);
    const worker = startWorker();
    await h.produce([alert]);
    await expect
      .poll(() => delivery(alert.alertId), { timeout: 20_000 })
      .toEqual([{ status: 'delivered', attempts: 3, last_error: null }]);
    await worker.stop();
    const attempts = hits(alert.alertId);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1); // one delivery, three attempts
    const [a1, a2, a3] = attempts.map((a) => a.at) as [number, number, number];
    // equal jitter: the n-th pause is at least half of initial·2^(n-1) = 40 ms, then 80 ms
    expect(a2 - a1).toBeGreaterThanOrEqual(40 - 5);
    expect(a3 - a2).toBeGreaterThanOrEqual(80 - 5);
  });

  it('gives up after maxAttempts and marks the delivery failed', async () => {
    const alert = makeAlert(120);
    answer = (alertId) => (alertId === alert.alertId ? 503 : 204);
    const worker = startWorker({ maxAttempts: 3 });
    await h.produce([alert]);
    await expect
      .poll(() => delivery(alert.alertId), { timeout: 20_000 })
      .toEqual([{ status: 'failed', attempts: 3, last_error: 'receiver answered 503' }]);
    await worker.stop();
    expect(hits(alert.alertId)).toHaveLength(3);
  });

  it('keeps pending deliveries across a worker restart', async () => {
    const alert = makeAlert(130);
    answer = (alertId) => (alertId === alert.alertId ? 503 : 204);
    const first = startWorker({ initialBackoffMs: 1500, maxBackoffMs: 1500 });
    await h.produce([alert]);
    await expect
      .poll(() => delivery(alert.alertId), { timeout: 20_000 })
      .toMatchObject([{ status: 'pending', attempts: 1, last_error: 'receiver answered 503' }]);
    await first.stop();

    // the receiver recovers; a new worker (a restarted service) finds the delivery in Postgres
    answer = () => 204;
    const second = startWorker();
    await expect
      .poll(() => delivery(alert.alertId), { timeout: 20_000 })
      .toEqual([{ status: 'delivered', attempts: 2, last_error: null }]);
    await second.stop();
    expect(hits(alert.alertId)).toHaveLength(2);
  });

  it('rejects nonsense settings at construction, naming each', () => {
    expect(() => startWorker({ concurrency: 0, secret: 'short', maxBackoffMs: 1 })).toThrow(
      expect.objectContaining({
        name: 'AlertsSettingsError',
        problems: [
          'secret must be at least 16 characters',
          'maxBackoffMs must be an integer in 80..3600000, got 1',
          'concurrency must be an integer in 1..1000, got 0',
        ],
      }),
    );
  });
});
