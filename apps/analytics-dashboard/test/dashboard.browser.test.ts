// The dashboard page in real headless Chromium over the whole pipeline: lines appended to the log
// file the shipper tails → shipper → Kafka → sink → Postgres views → dashboard. The numbers on the
// page change live as lines are appended, and match the API.
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@streamkit/testkit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { combinedLine } from '../src/loggen/access-line.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import {
  dashboardKeyHeaders,
  dashboardTestApiKey,
  startTestDashboard,
  type TestDashboard,
} from './support/dashboard-harness.ts';
import { type FileShipper, startFileShipper } from './support/file-shipper.ts';
import { createSinkTestEnv, type SinkTestEnv } from './support/sink-harness.ts';

export const dashboardScreenshotPath = join(tmpdir(), 'streamkit-analytics-dashboard.png');

const infra = inject('infrastructure');
let env: SinkTestEnv;
let dashboard: TestDashboard;
let browser: Browser;
let page: Page;
let dir: string;
let shipper: FileShipper;
// the current minute's start, so the page's "latest minute" holds everything this file writes
const minute = Math.floor(Date.now() / 60_000) * 60_000;
const traffic = createTraffic({ seed: 7, hosts: ['web-page.example'], errorRate: 0.05 });

/** Appends `count` combined-format lines to the tailed file, `stepMs` apart in event time. */
async function appendLines(count: number, startMs: number, stepMs: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => combinedLine(traffic(startMs + i * stepMs)));
  await appendFile(shipper.file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  env = await createSinkTestEnv(infra, 'browser');
  dir = await mkdtemp(join(tmpdir(), 'dash-browser-'));
  // the shipper's file input, in process, on this file's own topics
  shipper = await startFileShipper(env, dir, 'web-page.example');
  dashboard = await startTestDashboard(env);
  await env.startSink();
  await appendLines(600, minute, 50);
  await vi.waitFor(() => expect(env.written.inserted).toBe(600), { timeout: 60_000, interval: 200 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(dashboard.url);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await shipper?.stop();
  await env?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const kpi = async (id: string) => (await page.locator(`[data-testid="${id}"]`).textContent()) ?? '';
const apiLatestMinute = async () => {
  const body = (await (
    await fetch(`${dashboard.url}/api/views/error_rate_per_minute?limit=1`, { headers: dashboardKeyHeaders })
  ).json()) as {
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

  it('reads through its own HttpOnly session cookie; the page holds no key', async () => {
    const html = await (await fetch(dashboard.url)).text();
    expect(html).not.toContain(dashboardTestApiKey);
    const [cookie] = await page.context().cookies(dashboard.url);
    expect(cookie).toMatchObject({ name: 'streamkit_session', httpOnly: true, sameSite: 'Strict' });
    expect((await fetch(`${dashboard.url}/api/stream`)).status).toBe(401);
  });

  it('updates live as lines are appended to the log file, still matching the API', async () => {
    const before = await kpi('kpi-requests');
    await appendLines(250, minute + 30_000, 40);
    // the page changes without a reload (the SSE stream), first to something in between or straight to 850
    await expect.poll(() => kpi('kpi-requests'), { timeout: 20_000 }).not.toBe(before);
    await expect.poll(() => kpi('kpi-requests'), { timeout: 20_000 }).toBe('850');
    expect(Number((await kpi('kpi-requests')).replaceAll(',', ''))).toBe((await apiLatestMinute())?.requests);
    await page.screenshot({ path: dashboardScreenshotPath, fullPage: true });
  });
});
