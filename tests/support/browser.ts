import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH, HAS_CHROMIUM } from './chromium';

export { CHROMIUM_PATH, HAS_CHROMIUM };

/** `describe` when Chromium is there, else `describe.skip` (global setup prints one line about it). */
export const describeBrowser: jest.Describe = HAS_CHROMIUM ? describe : describe.skip;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
