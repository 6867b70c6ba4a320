// The storefront in real headless Chromium against the whole pipeline: clicking products posts
// views through the session flow, and "recommended for you" follows them.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@streamkit/testkit';
import { launchChromium } from '@streamkit/testkit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crowdEvents, type PipelineHarness, startPipelineHarness } from './support/pipeline-harness.ts';

export const storefrontScreenshotPath = join(tmpdir(), 'streamkit-storefront.png');
const WAIT = { timeout: 30_000, interval: 200 };
const USER = 'browser-shopper';

let h: PipelineHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  h = await startPipelineHarness('recs-browser');
  await h.post(crowdEvents(h, ['c-books', 'c-toys', 'c-garden', 'c-kitchen']));
  await waitFor(async () => (await h.recommendations('anyone')).items.length > 0, { timeoutMs: 30_000 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript((user) => localStorage.setItem('streamkit-shop-user', user), USER);
  await page.goto(h.baseUrl);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** Categories of the items "recommended for you" shows, as the page marks them. */
const shownCategories = () =>
  page
    .locator('#recommended .rec-item')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-category-id')));

const shareOf = async (categoryId: string) => {
  const categories = await shownCategories();
  return categories.length === 0 ? 0 : categories.filter((c) => c === categoryId).length / categories.length;
};

/** What the stores hold for the shopper, printed when the pipeline has not caught up. */
async function pipelineState(productId: string | null): Promise<string> {
  const { redis, keys } = h.env;
  const [purchased, dirty, claimed] = await Promise.all([
    redis.smembers(keys.userPurchased(USER)),
    redis.sismember(keys.dirtyUsers(), USER),
    redis.zscore(keys.dirtyUsersClaimed(), USER),
  ]);
  return `bought ${productId}; purchased in Redis [${purchased.join(', ')}], dirty ${dirty}, claimed ${claimed}`;
}

describe('storefront', () => {
  it('opens on a category grid with the trending fallback for a new shopper', async () => {
    await page.locator('.product-card').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#user-id').inputValue()).toBe(USER);
    await expect.poll(() => page.locator('#trending .rec-item').count(), WAIT).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('#recommended-source').getAttribute('data-source'), WAIT)
      .toBe('fallback');
  });

  it('changes "recommended for you" towards the category whose products are clicked', async () => {
    const before = await page
      .locator('#recommended .rec-item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-product-id')));
    await page.locator('.category-link[data-category-id="c-toys"]').click();
    await expect.poll(() => page.locator('#category-title').textContent(), WAIT).toBe('Toys');
    for (let i = 0; i < 4; i++) {
      await page
        .locator('.product-card')
        .nth(4 + i)
        .click();
      await page.locator('#product-view:not([hidden])').waitFor();
      await expect.poll(() => page.locator('#product-category').textContent(), WAIT).toBe('Toys');
      await page.locator('#back-link').click();
      await page.locator('#category-view:not([hidden])').waitFor();
    }
    await expect
      .poll(() => page.locator('#recommended-source').getAttribute('data-source'), WAIT)
      .toBe('personal');
    await expect.poll(() => shareOf('c-toys'), WAIT).toBeGreaterThanOrEqual(0.6);
    const after = await page
      .locator('#recommended .rec-item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-product-id')));
    expect(after).not.toEqual(before);
  });

  it('shows a product page with "bought together", and takes a purchase off the list', async () => {
    const first = page.locator('#recommended .rec-item a').first();
    const bought = await page.locator('#recommended .rec-item').first().getAttribute('data-product-id');
    await first.click();
    await expect.poll(() => page.locator('#product-view').isHidden(), WAIT).toBe(false);
    await page.locator('#buy-now').click();
    await expect.poll(() => page.locator('#action-status').textContent(), WAIT).toContain('Thank you');
    // the page says "Thank you" even when the event was refused: its connection pill tells
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('live');
    // the pipeline first (features → recommender → cache), then the page that polls it; on a
    // timeout the message says which of the two is behind and what the stores hold
    await expect
      .poll(async () => (await h.recommendations(USER)).items.map((i) => i.productId), WAIT)
      .not.toContain(bought)
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await pipelineState(bought)}`, { cause: error });
      });
    await expect
      .poll(
        () =>
          page
            .locator('#recommended .rec-item')
            .evaluateAll((items) => items.map((i) => i.getAttribute('data-product-id'))),
        WAIT,
      )
      .not.toContain(bought);
    await page.screenshot({ path: storefrontScreenshotPath });
  });
});
