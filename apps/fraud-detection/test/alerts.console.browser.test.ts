// The console page in real headless Chromium: it reads through a session it obtains itself (no key
// in the page), live alerts over SSE, details, acknowledge with the key typed in.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@streamkit/testkit';
import { launchChromium } from '@streamkit/testkit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../src/alerts/alert-record.ts';
import { createAlertSink } from '../src/alerts/alert-sink.ts';
import {
  type AlertsHarness,
  alertsReadHeaders,
  alertsTestApiKey,
  makeAlert,
  startAlertsHarness,
} from './support/alerts-harness.ts';

export const consoleScreenshotPath = join(tmpdir(), 'streamkit-alerts-console.png');

let h: AlertsHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  h = await startAlertsHarness({ settings: { ALERTS_SESSIONS_PER_ADDRESS_PER_MINUTE: '5' } });
  // a few alerts from before the page opened
  await h.produce([makeAlert(300), makeAlert(301, { reasons: ['impossible travel: DE → BR in 40 min'] })]);
  await waitFor(async () => (await h.store.list({}, { limit: 10 })).alerts.length === 2, {
    timeoutMs: 20_000,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  await page.goto(h.baseUrl);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('alert console', () => {
  it('shows stored alerts and the live connection', async () => {
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.alert-row').count()).toBe(2);
    expect(await page.locator('#connection-text').textContent()).toBe('Live');
  });

  it('reads through its own HttpOnly session cookie; the page holds no key, and no credential is 401', async () => {
    const html = await (await fetch(h.baseUrl)).text();
    expect(html).not.toContain(alertsTestApiKey);
    const [cookie] = await page.context().cookies(h.baseUrl);
    expect(cookie).toMatchObject({ name: 'streamkit_session', httpOnly: true, sameSite: 'Strict' });
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie),
    ).toBe(''); // out of the page's scripts' reach
    for (const path of ['/alerts', '/alerts/alert-300', '/alerts/stream']) {
      const refused = await fetch(`${h.baseUrl}${path}`);
      expect(refused.status, path).toBe(401);
      expect(await refused.json()).toEqual({
        error: 'unauthorized',
        message: 'send a valid x-api-key header, or the session cookie from POST /session',
      });
    }
    // the session reads, but it does not acknowledge: that takes the key
    const bySession = await fetch(`${h.baseUrl}/alerts/alert-300/ack`, {
      method: 'POST',
      headers: { cookie: `${cookie?.name}=${cookie?.value}`, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'mallory' }),
    });
    expect(bySession.status).toBe(401);
    const read = await fetch(`${h.baseUrl}/alerts/alert-300`, {
      headers: { cookie: `${cookie?.name}=${cookie?.value}` },
    });
    expect(read.status).toBe(200);
  });

  it('adds an alert produced to Kafka without a reload', async () => {
    // a marker in the document: still there afterwards means no reload happened
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    const fresh = makeAlert(302, {
      createdAt: new Date().toISOString(),
      decision: 'decline',
      score: 0.97,
      reasons: ['card testing: 5 payments under 2.00 EUR, then 1,240.00 EUR within 4 min'],
      ruleIds: ['card-testing', 'high-score'],
    });
    await h.produce([fresh]);
    const row = page.locator(`.alert-row[data-alert-id="${fresh.alertId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.locator('.alert-row').first().getAttribute('data-alert-id')).toBe(fresh.alertId);

    await row.click();
    await expect.poll(() => page.locator('#d-reasons li').allTextContents()).toEqual(fresh.reasons);
    expect(await page.locator('#d-rules .chip').allTextContents()).toEqual(fresh.ruleIds);
    expect(await page.locator('#d-payment').textContent()).toBe(fresh.paymentId);
    await page.screenshot({ path: consoleScreenshotPath });
  });

  it('acknowledges from the details panel', async () => {
    const target = makeAlert(302);
    await page.locator('.ack-form input[name="by"]').fill('ana');
    await page.locator('.ack-form textarea[name="note"]').fill('cardholder confirmed fraud');
    await page.locator('.ack-form input[name="apiKey"]').fill(alertsTestApiKey);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.acked-note').waitFor({ timeout: 10_000 });
    expect(await page.locator('.acked-note').textContent()).toContain('Acknowledged by ana');
    expect(await page.locator(`.alert-row[data-alert-id="${target.alertId}"] .status`).textContent()).toBe(
      'Acknowledged',
    );

    const stored = await h.app.inject({
      method: 'GET',
      url: `/alerts/${target.alertId}`,
      headers: alertsReadHeaders,
    });
    expect(stored.json<AlertRecord>()).toMatchObject({
      acknowledged: true,
      acknowledgedBy: 'ana',
      ackNote: 'cardholder confirmed fraud',
    });
  });

  it('shows an acknowledgement made elsewhere, live', async () => {
    const other = makeAlert(300);
    expect((await h.acknowledge(other.alertId, 'bob')).statusCode).toBe(200);
    await expect
      .poll(() => page.locator(`.alert-row[data-alert-id="${other.alertId}"] .status`).textContent(), {
        timeout: 10_000,
      })
      .toBe('Acknowledged');
    await page.screenshot({ path: consoleScreenshotPath.replace('.png', '-acknowledged.png') });
  });

  it('shows every alert committed while it loads and after (stream first, then the list)', async () => {
    const second = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    const sink = createAlertSink({ pool: h.pool, webhookUrls: [] });
    // new alerts commit one at a time from before the page opens until ten after its stream is
    // live: none may fall between its list read and its subscription (it shows up to 100 rows of
    // the list plus what streams in)
    const live = second.locator('#connection[data-state="live"]');
    const opening = second.goto(h.baseUrl);
    let afterLive = 0;
    for (let i = 0; i < 80 && afterLive < 10; i++) {
      await sink.write([makeAlert(500 + i, { createdAt: new Date().toISOString() })]);
      if (afterLive > 0 || (await live.count().catch(() => 0)) > 0) afterLive++;
    }
    await opening;
    const { rows } = await h.pool.query<{ n: number }>('select count(*)::int as n from fraud_alerts');
    expect(rows[0]?.n).toBeLessThan(100);
    await expect.poll(() => second.locator('.alert-row').count(), { timeout: 10_000 }).toBe(rows[0]?.n);
    await second.close();
  });

  it('issues sessions at a bounded rate per client address', async () => {
    // 5 a minute per address: 11 at once span at most two minute windows, so one at least is refused
    const answers = await Promise.all(
      Array.from({ length: 11 }, () => fetch(`${h.baseUrl}/session`, { method: 'POST' })),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused[0]?.json()).toEqual({
      error: 'too_many_requests',
      message: 'too many sessions from 127.0.0.1; wait',
    });
  });
});
