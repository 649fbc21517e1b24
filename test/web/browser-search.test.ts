/**
 * Search in a real browser (Debian's chromium through playwright-core, set up as in browser.test.ts): a staff
 * member finds a customer by a word of their message and by their phone from the search box in the header,
 * and opens the conversation from the result.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { SearchIndexer } from '../../src/store/search-indexer.js';
import { chromiumPerFile, logIn } from '../helpers/chromium.js';
import { silentLog } from '../helpers/temp.js';
import { PASSWORD, WebRig } from '../helpers/web-rig.js';

const browser = chromiumPerFile();
let rig: WebRig;
let page: Page;
let base: string;

afterEach(() => rig?.close());

async function loggedIn(): Promise<void> {
  rig = await new WebRig().start();
  await rig.account('Rina');
  base = await rig.app.listen({ port: 0, host: '127.0.0.1' });
  page = await browser().newPage({ viewport: { width: 390, height: 844 } }); // a phone
  await page.goto(`${base}/`);
  await logIn(page, 'Rina', PASSWORD);
}

async function searchFor(query: string): Promise<void> {
  await page.fill('header form.search input[name=q]', query);
  await page.press('header form.search input[name=q]', 'Enter');
  await page.waitForURL(/\/search\?q=/);
}

describe('search in chromium', () => {
  it('finds a customer by a word of their message and by their phone, and opens the conversation', async () => {
    await loggedIn();
    await rig.customerSays('6281234567890', 'Daster batik merah ukuran XL masih ada?', 'Budi');
    await rig.customerSays('6285700001111', 'mau tanya ongkir', 'Ani');
    new SearchIndexer(rig.store.search, silentLog).catchUp();

    await searchFor('dast'); // still typing: the beginning of a word is enough
    const hit = page.locator('.list .entry', { hasText: 'Pelanggan' }).filter({ hasText: 'Budi' });
    expect(await hit.locator('mark').allTextContents()).toEqual(['Daster']);
    expect(await page.locator('.list .entry', { hasText: 'Ani' }).count()).toBe(0);
    await hit.locator('a').click();
    await page.waitForSelector('.msg.customer >> text=Daster batik merah ukuran XL masih ada?');
    expect(await page.textContent('h1.customer')).toContain('Budi');

    await searchFor('0812-3456-7890');
    expect(await page.inputValue('form.search-page input[name=q]')).toBe('0812-3456-7890');
    const customers = page.locator('section.list', { hasText: 'Pelanggan' }).locator('.entry');
    expect(await customers.count()).toBe(1);
    expect(await customers.first().textContent()).toContain('Budi');
    await customers.first().locator('a').click();
    await page.waitForURL(new RegExp(`/conversations/${rig.customerId('6281234567890')}$`));
    await page.waitForSelector('.msg.customer >> text=Daster batik merah ukuran XL masih ada?');
  });
});
