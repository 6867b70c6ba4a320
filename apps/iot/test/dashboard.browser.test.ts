import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '@streamkit/random';
import { commitConcurrently } from '@streamkit/testkit';
import { launchChromium } from '@streamkit/testkit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTestApiKey } from './analytics.support.ts';
import { type PipelineEnv, startPipeline } from './pipeline.support.ts';
import { reading } from './processor.harness.ts';

export const dashboardScreenshotPath = join(tmpdir(), 'streamkit-iot-dashboard.png');
let env: PipelineEnv;
let browser: Browser;
let page: Page;
// recent event time, so the fleet grid shows the devices as fresh
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;

beforeAll(async () => {
  env = await startPipeline('iot-dash');
  for (const id of ['dash-a', 'dash-b', 'dash-c']) await env.harness.registry.register(id, {});
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

const readingsOn = (on: Page) => async () =>
  Number(await on.locator('#device-stats').getAttribute('data-readings'));
const readingsShown = () => readingsOn(page)();

describe('live dashboard in headless Chromium', () => {
  it('shows the fleet and a device chart; a new reading updates the chart and an alert appears live', async () => {
    for (let i = 0; i < 40; i++) {
      for (const [d, id] of ['dash-a', 'dash-b', 'dash-c'].entries()) {
        await env.publish(reading(id, i, BASE + i * 6000 + d, 20 + d * 2 + (i % 5) / 2));
      }
    }
    await expect
      .poll(
        async () =>
          (await env.harness.pool.query('SELECT DISTINCT device_id FROM iot_window_aggregates')).rowCount,
        { timeout: 30_000 },
      )
      .toBe(3);

    await page.goto(`${env.analyticsUrl}/?device=dash-a`);
    await expect.poll(() => page.locator('#fleet .device').count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('live');
    expect(await page.locator('#device-title').textContent()).toBe('dash-a');
    await expect.poll(readingsShown, { timeout: 10_000 }).toBe(40);
    const dotsBefore = await page.locator('#chart circle').count();
    expect(dotsBefore).toBeGreaterThan(0);

    // a new reading (in a new window): the chart gains a point, the count goes up
    await env.publish(reading('dash-a', 40, BASE + 240_000 + 500, 22));
    await expect.poll(readingsShown, { timeout: 15_000 }).toBe(41);
    await expect.poll(() => page.locator('#chart circle').count(), { timeout: 5_000 }).toBe(dotsBefore + 1);

    // a reading over the temperature limit: the processor's alert arrives over SSE
    await env.publish(reading('dash-a', 41, BASE + 241_000, 120));
    const alert = page.locator('#alerts li.alert.threshold', { hasText: 'dash-a' });
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await alert.first().locator('.msg').textContent()).toContain('temperature 120 above 90');

    await page.screenshot({ path: dashboardScreenshotPath });
  });

  it('reads through its own HttpOnly session, holds no key, and /api answers 401 without a credential', async () => {
    const html = await (await fetch(env.analyticsUrl)).text();
    expect(html).not.toContain(analyticsTestApiKey);
    const [cookie] = await page.context().cookies(env.analyticsUrl);
    expect(cookie).toMatchObject({ name: 'streamkit_session', httpOnly: true, sameSite: 'Strict' });
    for (const [method, path] of [
      ['GET', '/api/live/devices'],
      ['GET', '/api/anomalies'],
      ['GET', '/api/fleet'],
      ['GET', '/api/devices/dash-a/series'],
      ['GET', '/api/live/devices/dash-a/windows'],
      ['GET', '/api/stream'],
    ] as const) {
      const refused = await fetch(`${env.analyticsUrl}${path}`, { method });
      expect(refused.status, path).toBe(401);
      expect(await refused.json()).toEqual({
        error: 'unauthorized',
        message: 'send a valid x-api-key header, or the session cookie from POST /session',
      });
    }
    const bySession = await fetch(`${env.analyticsUrl}/api/live/devices`, {
      headers: { cookie: `${cookie?.name}=${cookie?.value}` },
    });
    expect(bySession.status).toBe(200);
    // SQL takes only its own key: neither nothing nor the page's session opens it
    for (const headers of [{}, { cookie: `${cookie?.name}=${cookie?.value}` }]) {
      const sql = await fetch(`${env.analyticsUrl}/api/sql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT 1' }),
      });
      expect(sql.status).toBe(401);
      expect(await sql.json()).toEqual({ error: 'unauthorized', message: 'send a valid x-api-key header' });
    }
  });

  it('shows every window committed while the page loads and after it (stream first, reads merged by version)', async () => {
    const live = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    const metric = { min: 20, max: 22, mean: 21, p95: 22 };
    const metrics = JSON.stringify({ temperature: metric, humidity: metric, battery: metric });
    const random = createRandom('iot-dashboard-live');
    // each commit adds a new window of one device (a change no later one repairs), while the page
    // opens; the first test's page keeps the stream watched, as a second dashboard would
    let windows = 0;
    const writing = commitConcurrently({
      databaseUrl: env.harness.database.url,
      writers: 2,
      durationMs: 3000,
      work: async (client) => {
        const start = BASE + windows++ * 60_000;
        await client.query(
          `INSERT INTO iot_window_aggregates (device_id, window_start, window_end, reading_count, metrics)
           VALUES ('dash-live', to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0 + 60), $2, $3)`,
          [start, random.int(1, 5), metrics],
        );
      },
      holdMs: () => random.int(50, 250),
    });
    await live.goto(`${env.analyticsUrl}/?device=dash-live`);
    await writing;
    // the page shows the newest 60 windows
    const { rows } = await env.harness.pool.query<{ readings: number }>(
      `SELECT sum(reading_count)::int AS readings FROM (SELECT reading_count FROM iot_window_aggregates
       WHERE device_id = 'dash-live' ORDER BY window_start DESC LIMIT 60) w`,
    );
    await expect.poll(readingsOn(live), { timeout: 10_000 }).toBe(rows[0]?.readings);
    await live.close();
  });
});
