/**
 * Debian's chromium for a browser test file (npm test installs it when missing): one browser for the file, closed
 * after it with the temporary folders; the pages a test opened are closed after it.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, jest } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { removeTempDirs } from './temp.js';

const CHROMIUM = '/usr/bin/chromium';

export function chromiumPerFile(): () => Browser {
  let browser: Browser;
  jest.setTimeout(60_000); // a real browser on a shared machine
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test installs it)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  // browser.newPage() opens each page in a context of its own.
  afterEach(() => Promise.all(browser?.contexts().map((context) => context.close()) ?? []));
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
