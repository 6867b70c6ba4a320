// The whole path in a real browser: a payment posted to the gateway → detector → fraud.alerts →
// alert service → the console shows it live; Acknowledge there is stored.
import { launchChromium } from '@streamkit/testkit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../src/alerts/alert-record.ts';
import { type AlertsHarness, alertsReadHeaders } from './support/alerts-harness.ts';
import { type FraudPipeline, startFraudPipeline } from './support/fraud-pipeline.ts';
import { postPayment, samplePayment, type TestGateway } from './support/gateway-harness.ts';

let pipeline: FraudPipeline;
let gateway: TestGateway;
let alerts: AlertsHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  pipeline = await startFraudPipeline('al-pipe', { alertsSettings: { ALERTS_CONSOLE_OPEN: 'true' } });
  ({ gateway, alerts } = pipeline);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  await page.goto(alerts.baseUrl);
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await pipeline?.close();
});

describe('alert console, end to end', () => {
  it('shows an alert live after a payment is posted, and acknowledges it', async () => {
    // a payment in a sanctioned country: the seeded rule R-EMBARGOED-COUNTRY holds it for review
    expect(await page.locator('.alert-row').count()).toBe(0);
    // a marker in the document: still there afterwards means no reload happened
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    const payment = samplePayment({ country: 'IR' });
    const posted = await postPayment(gateway.app, payment);
    expect(posted.statusCode).toBe(202);

    const row = page.locator('.alert-row').first();
    await row.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await row.click();
    expect(await page.locator('#d-payment').textContent()).toBe(payment.paymentId);
    expect(await page.locator('#d-rules .chip').allTextContents()).toContain('R-EMBARGOED-COUNTRY');
    const alertId = await row.getAttribute('data-alert-id');

    await page.locator('.ack-form input[name="by"]').fill('ana');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.acked-note').waitFor({ timeout: 10_000 });
    const stored = await alerts.app.inject({
      method: 'GET',
      url: `/alerts/${alertId}`,
      headers: alertsReadHeaders,
    });
    expect(stored.json<AlertRecord>()).toMatchObject({
      paymentId: payment.paymentId,
      acknowledged: true,
      acknowledgedBy: 'ana',
    });
  });
});
