/**
 * Debian's chromium for a browser test file, launched as test/web/browser.test.ts does (npm test installs it when
 * missing): one browser for the file, closed after it with the temporary folders.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { removeTempDirs } from './temp.js';

const CHROMIUM = '/usr/bin/chromium';

export function chromiumPerFile(): () => Browser {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test installs it)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    removeTempDirs();
  });
  return () => browser;
}

/** Logs in from the login page and waits for the (empty) inbox. */
export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Tidak ada yang menunggu staf.');
}
