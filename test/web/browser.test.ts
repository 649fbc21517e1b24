/**
 * The inbox in a real browser: Debian's chromium (npm test installs it when missing) driven by
 * playwright-core. A staff member logs in, sees an escalation arrive without reloading, replies, and hands back.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { chromiumPerFile, logIn } from '../helpers/chromium.js';
import { PASSWORD, WebRig } from '../helpers/web-rig.js';

const ATTACK = '<script>alert(1)</script><img src=x onerror=alert(1)>';

const browser = chromiumPerFile();
let rig: WebRig;
let page: Page;
let base: string;
const dialogs: string[] = [];
/** Labels of the English inbox: none may remain on a page in Bahasa Indonesia (the default). */
const ENGLISH = /\b(Inbox|Reply|Send|Claim|Release|Hand back|Log ?out|Log in|Sign in|Waiting|Mine|Recent|Notes|Tags|Add|Remove|Owner|Shop|Password|Name|Customer|Staff)\b/;

async function expectNoEnglish(): Promise<void> {
  const words = await page.evaluate<string>("[document.title, document.body.innerText, ...[...document.querySelectorAll('[placeholder]')].map((node) => node.placeholder)].join('\\n')");
  expect(words).not.toMatch(ENGLISH);
}

afterEach(() => rig?.close());

async function loggedIn(role: 'staff' | 'owner' = 'staff'): Promise<void> {
  rig = await new WebRig().start();
  await rig.account('Rina', role);
  base = await rig.app.listen({ port: 0, host: '127.0.0.1' });
  page = await browser().newPage({ viewport: { width: 390, height: 844 } }); // a phone
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${base}/`);
  await expectNoEnglish();
  await logIn(page, 'Rina', PASSWORD);
}


describe('the inbox in chromium', () => {
  it('shows an escalation live, sends the reply to the customer, and hands back to the bot', async () => {
    await loggedIn();
    await page.waitForFunction("document.title === 'Kotak Masuk · Setia'");
    await rig.customerSays('62811', 'admin', 'Budi');
    // No reload: the live stream brings it in, and the unread count into the title.
    await page.waitForSelector('.entry.waiting >> text=Minta admin');
    await page.waitForFunction("document.title === '(1) Kotak Masuk · Setia'");

    await expectNoEnglish();
    await page.click('.entry.waiting a');
    await page.waitForSelector('text=Menunggu staf');
    await expectNoEnglish();
    await page.fill('#reply-text', 'Halo Kak Budi, saya Rina. Ada yang bisa dibantu?');
    await page.click('form.reply button[type=submit]');
    await page.waitForSelector('.msg.staff >> text=Halo Kak Budi, saya Rina. Ada yang bisa dibantu?');
    expect(rig.textsTo('62811')).toEqual(['Sebentar ya, admin segera membalas', 'Halo Kak Budi, saya Rina. Ada yang bisa dibantu?']);

    // The customer answers; it appears in the open conversation without a reload.
    await rig.customerSays('62811', 'Mau tanya ongkir ke Bandung');
    await page.waitForSelector('.msg.customer >> text=Mau tanya ongkir ke Bandung');

    // A quick reply: "/on" offers /ongkir; picking it and sending fills it for Budi.
    expect(await page.isVisible('#quick-replies')).toBe(false);
    await page.fill('#reply-text', '/on');
    await page.click('#quick-replies >> text=/ongkir');
    expect(await page.inputValue('#reply-text')).toBe('/ongkir');
    await page.click('form.reply button[type=submit]');
    await page.waitForSelector('.msg.staff >> text=Ongkir ke Budi Rp10.000 ya');

    await page.fill('.release input[name=message]', 'Sama-sama, Kak!');
    await page.click('.release button');
    await page.waitForSelector('text=Bot sedang melayani pelanggan ini.');
    await rig.customerSays('62811', 'halo lagi');
    expect(rig.textsTo('62811').slice(-2)).toEqual(['Sama-sama, Kak!', 'Bot: halo lagi']);
  });

  it('lets the owner add a colleague, who logs in with the one-time password', async () => {
    await loggedIn('owner');
    await page.click('nav >> text=Toko');
    await page.waitForSelector('text=Akun staf');
    await expectNoEnglish();
    await page.fill('.add-account input[name=name]', 'Dewi');
    await page.click('.add-account button');
    const password = (await page.textContent('.one-time strong.code'))!;
    await page.click('.logout button');
    await page.waitForSelector('input[name=password]');
    await logIn(page, 'Dewi', password);
    expect(await page.textContent('.me')).toBe('Dewi');
  });

  it('shows a customer’s markup as text and runs none of it', async () => {
    await loggedIn();
    await rig.customerSays('62811', 'admin', ATTACK);
    await rig.customerSays('62811', ATTACK, ATTACK);
    await page.waitForSelector('.entry.waiting');
    await page.click('.entry.waiting a');
    await page.waitForSelector('.msg.customer');
    const texts = await page.$$eval('.msg.customer p', (nodes) => nodes.map((node) => node.textContent));
    expect(texts).toContain(ATTACK);
    expect(await page.$$eval('.transcript img, .transcript script', (nodes) => nodes.length)).toBe(0);
    expect(await page.textContent('h1.customer')).toContain(ATTACK);
    await page.reload();
    await page.waitForSelector('.msg.customer');
    expect(dialogs).toEqual([]);
  });
});
