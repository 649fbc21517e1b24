/**
 * The conversation page in Debian's chromium on a phone-sized screen: a new escalation beeps and flashes the tab's
 * title, the customer panel sits below the transcript and edits tags, a picture goes out from the reply box, and a
 * transfer reaches the colleague's "Milik saya" when they log in.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { chromiumPerFile, logIn } from '../helpers/chromium.js';
import { PASSWORD, WebRig } from '../helpers/web-rig.js';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const ENGLISH = /\b(Inbox|Reply|Send|Claim|Release|Hand back|Log ?out|Log in|Waiting|Mine|Recent|Notes|Tags|Add|Remove|Transfer|Picture|Customer|Staff)\b/;

const browser = chromiumPerFile();
let rig: WebRig;
/** The page's window, as the functions run inside it see it (the tests compile without the DOM types). */
type InPage = { document: { title: string }; beeps: number; dispatchEvent: (event: unknown) => void; Event: new (type: string) => unknown };
const titleIs = (title: string) => page.waitForFunction((expected) => (globalThis as unknown as InPage).document.title === expected, title);
const tabEvent = (type: 'blur' | 'focus') => page.evaluate((name) => (globalThis as unknown as InPage).dispatchEvent(new (globalThis as unknown as InPage).Event(name)), type);
let page: Page;
let base: string;

afterEach(() => rig?.close());


describe('the conversation page in chromium', () => {
  it('alerts, shows the customer, edits a tag, sends a picture and transfers to a colleague', async () => {
    rig = await new WebRig().start();
    await rig.account('Rina');
    await rig.account('Dewi');
    base = await rig.app.listen({ port: 0, host: '127.0.0.1' });
    page = await browser().newPage({ viewport: { width: 390, height: 844 } });
    // Counts the beeps the page plays.
    await page.addInitScript(`
      window.beeps = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function () {
        window.beeps++;
        return create.call(this);
      };
    `);
    await page.goto(`${base}/`);
    await logIn(page, 'Rina', PASSWORD);

    // Staff touched the page once (sound allowed), then looked at another tab.
    await page.mouse.click(5, 300);
    await tabEvent('blur');
    await rig.customerSays('62811', 'admin', 'Budi');
    await titleIs('(1) Pelanggan menunggu — Kotak Masuk');
    await page.waitForFunction(() => (globalThis as unknown as InPage).beeps === 1);
    await tabEvent('focus');
    await titleIs('(1) Kotak Masuk · Setia');

    await page.click('.entry.waiting a');
    await page.waitForSelector('.customer-panel >> text=Pesan dari pelanggan');
    expect(await page.evaluate<string>('document.body.innerText')).not.toMatch(ENGLISH);
    // On a phone the panel is below the transcript.
    const transcript = (await page.locator('.transcript').boundingBox())!;
    const panel = (await page.locator('.customer-panel').boundingBox())!;
    expect(panel.y).toBeGreaterThanOrEqual(transcript.y + transcript.height);
    expect(panel.width).toBeLessThanOrEqual(390);

    await page.fill('.add-tag input[name=add]', 'vip');
    await page.click('.add-tag button');
    await page.waitForSelector('.tag-list >> text=vip');
    expect(rig.store.customers.get('62811@s.whatsapp.net')!.tags).toEqual(['vip']);

    await page.setInputFiles('.reply input[type=file]', { name: 'daster.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForSelector('.send-row .chosen >> text=daster.png');
    await page.fill('#reply-text', 'Ini fotonya, Kak');
    await page.click('form.reply button[type=submit]');
    await page.waitForSelector('.msg.staff img.picture[alt="Ini fotonya, Kak"]');
    expect(await page.evaluate<number>("document.querySelector('.msg.staff img.picture').naturalWidth")).toBe(1);
    expect(rig.sent.filter((message) => message.media)).toMatchObject([{ text: 'Ini fotonya, Kak', media: { kind: 'image' } }]);

    await page.selectOption('#transfer-to', 'Dewi');
    await page.click('.transfer button');
    await page.waitForSelector('text=Dengan Dewi');
    await page.click('.logout button');
    await page.waitForSelector('input[name=password]');
    await logIn(page, 'Dewi', PASSWORD);
    await page.waitForSelector('.entry.claimed.transferred >> text=dialihkan oleh Rina');
    expect(await page.textContent('.entry.transferred .who')).toBe('Budi');
  });
});
