// The dashboard page in real headless Chromium over real Kafka → sink → Postgres: the numbers on
// the page change live as lines arrive, and match the API.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startTestDashboard, type TestDashboard } from './support/dashboard-harness.ts';
import { logRecords } from './support/log-records.ts';
import { createSinkTestEnv, type SinkTestEnv } from './support/sink-harness.ts';

/** Debian's chromium (`apt-get install -y chromium`); playwright cannot download browsers here. */
const CHROMIUM = '/usr/bin/chromium';
export const dashboardScreenshotPath = join(tmpdir(), 'streamkit-analytics-dashboard.png');

const infra = inject('infrastructure');
let env: SinkTestEnv;
let dashboard: TestDashboard;
let browser: Browser;
let page: Page;
// the current minute's start, so the page's "latest minute" holds everything this file sends
const minute = Math.floor(Date.now() / 60_000) * 60_000;

beforeAll(async () => {
  env = await createSinkTestEnv(infra, 'browser');
  dashboard = await startTestDashboard(env);
  await env.startSink();
  await env.producer.send(
    env.topics.logs,
    logRecords({ count: 600, startMs: minute, stepMs: 50, idPrefix: 'f.page1' }).map((value) => ({ value })),
  );
  await vi.waitFor(() => expect(env.written.inserted).toBe(600), { timeout: 60_000, interval: 200 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(dashboard.url);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await env?.close();
});

const kpi = async (id: string) => (await page.locator(`[data-testid="${id}"]`).textContent()) ?? '';
const apiLatestMinute = async () => {
  const body = (await (await fetch(`${dashboard.url}/api/views/error_rate_per_minute?limit=1`)).json()) as {
    rows: { requests: number; errors: number }[];
  };
  return body.rows.at(-1);
};

describe('dashboard page', () => {
  it('shows the views: KPIs equal to the API, charts drawn, tables filled', async () => {
    await expect.poll(() => kpi('kpi-requests'), { timeout: 20_000 }).toBe('600');
    expect(Number((await kpi('kpi-requests')).replaceAll(',', ''))).toBe((await apiLatestMinute())?.requests);
    expect(await page.locator('#chart-rps canvas').count()).toBe(1);
    expect(await page.locator('#latency-table tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#top-paths-table tbody tr').count()).toBe(10);
    expect(await page.locator('#live-text').textContent()).toBe('live');
  });

  it('updates live as more lines arrive, still matching the API', async () => {
    await env.producer.send(
      env.topics.logs,
      logRecords({ count: 250, startMs: minute + 30_000, stepMs: 40, idPrefix: 'f.page2' }).map((value) => ({
        value,
      })),
    );
    await expect.poll(() => kpi('kpi-requests'), { timeout: 20_000 }).toBe('850');
    expect(Number((await kpi('kpi-requests')).replaceAll(',', ''))).toBe((await apiLatestMinute())?.requests);
    await page.screenshot({ path: dashboardScreenshotPath, fullPage: true });
  });
});
