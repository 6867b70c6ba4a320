import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`): playwright cannot download browsers here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A headless Chromium for the page tests (one per test file; close it in afterAll). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
