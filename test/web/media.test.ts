/** Pictures in the transcript: shown in place with alt text, served to logged-in staff from data/ and nothing else. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { flowsFrom } from '../helpers/engine.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { WebRig, type Session } from '../helpers/web-rig.js';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

async function shopWithQris(): Promise<Session> {
  rig = new WebRig(flowsFrom(`
flows:
  bayar: { triggers: [bayar], steps: [ { image: data/qris.png, caption: "QRIS toko" } ] }
`));
  mkdirSync(join(rig.shopDir, 'data'));
  writeFileSync(join(rig.shopDir, 'data', 'qris.png'), PNG);
  await rig.start();
  await rig.account('Rina');
  return rig.session('Rina');
}

const get = (url: string, session?: Session) => rig.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });

describe('pictures in the transcript', () => {
  it('shows the picture the bot sent, with its caption as alt text, and serves it to staff', async () => {
    const rina = await shopWithQris();
    await rig.customerSays('62811', 'bayar');
    const page = await get(`/conversations/${rig.customerId('62811')}`, rina);
    expect(page.body).toContain('<img class="picture" src="/media/data/qris.png" alt="QRIS toko"');
    const picture = await get('/media/data/qris.png', rina);
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect(picture.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses visitors without a login and anything outside data/', async () => {
    const rina = await shopWithQris();
    expect((await get('/media/data/qris.png')).statusCode).toBe(303);
    const outside = join(tempDir(), 'secret.txt');
    writeFileSync(outside, 'rahasia');
    symlinkSync(outside, join(rig.shopDir, 'data', 'link.png'));
    writeFileSync(join(rig.shopDir, 'setia.env'), 'SECRET=1');
    for (const url of ['/media/data/../setia.env', '/media/data/%2e%2e/setia.env', '/media/setia.env', '/media/data/link.png', '/media/data/missing.png']) {
      const answer = await get(url, rina);
      expect([url, answer.statusCode]).toEqual([url, 404]);
      expect(answer.body).not.toContain('rahasia');
    }
  });
});
