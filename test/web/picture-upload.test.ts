/** Staff send a picture from the reply box: checked by its bytes, stored under data/media/outbound/, sent once with its caption. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { removeTempDirs } from '../helpers/temp.js';
import { WebRig, type Session } from '../helpers/web-rig.js';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const BOUNDARY = '----setia-test-boundary';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

/** A body as a browser sends the reply form with a file chosen. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }): Buffer {
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="picture"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

async function escalated(): Promise<{ rina: Session; id: number }> {
  rig = await new WebRig().start();
  await rig.account('Rina');
  await rig.customerSays('62811', 'admin', 'Budi');
  return { rina: await rig.session('Rina'), id: rig.customerId('62811') };
}

const send = (id: number, session: Session, fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) =>
  rig.app.inject({
    method: 'POST',
    url: `/api/conversations/${id}/reply`,
    headers: { cookie: session.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: multipart(fields, file),
  });

const outbound = (): string[] => {
  const dir = join(rig.shopDir, 'data', 'media', 'outbound');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('a picture from the reply box', () => {
  it('is stored, sent once with its caption as staff, and shown in the transcript', async () => {
    const { rina, id } = await escalated();
    const answer = await send(id, rina, { _csrf: rina.csrf, text: 'Ini foto daster merahnya, Kak' }, { name: 'foto.jpg', type: 'image/jpeg', bytes: PNG });
    expect([answer.statusCode, answer.headers.location]).toEqual([303, `/conversations/${id}`]);

    const [file, ...more] = outbound();
    expect(more).toEqual([]);
    expect(file).toMatch(/^[0-9a-f]{32}\.png$/); // the bytes say PNG, whatever the name said
    expect(readFileSync(join(rig.shopDir, 'data', 'media', 'outbound', file!)).equals(PNG)).toBe(true);
    const pictures = rig.sent.filter((message) => message.media);
    expect(pictures).toMatchObject([{ chatId: '62811@s.whatsapp.net', text: 'Ini foto daster merahnya, Kak', media: { kind: 'image', path: `data/media/outbound/${file}` } }]);
    expect(rig.store.escalations.current(id)).toMatchObject({ status: 'claimed', claimedBy: 'Rina' });

    const page = await rig.app.inject({ method: 'GET', url: `/conversations/${id}`, headers: { cookie: rina.cookie } });
    expect(page.body).toMatch(new RegExp(`<li class="msg staff">\\s*<span class="by">Staf · Rina</span>.*<img class="picture" src="/media/data/media/outbound/${file}" alt="Ini foto daster merahnya, Kak"`, 's'));
    expect((await rig.app.inject({ method: 'GET', url: `/media/data/media/outbound/${file}`, headers: { cookie: rina.cookie } })).headers['content-type']).toBe('image/png');
  });

  it('refuses what is no JPEG, PNG or WebP, a picture over 5 MB, and a form without its CSRF token; nothing is stored or sent', async () => {
    const { rina, id } = await escalated();
    const sentBefore = rig.sent.length;
    const fake = await send(id, rina, { _csrf: rina.csrf, text: '' }, { name: 'foto.png', type: 'image/png', bytes: Buffer.from('<svg onload=alert(1)>') });
    expect([fake.statusCode, fake.json()]).toEqual([400, { error: 'Hanya gambar JPEG, PNG atau WebP yang bisa dikirim; tidak ada yang dikirim.' }]);
    const huge = await send(id, rina, { _csrf: rina.csrf }, { name: 'besar.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(5 * 2 ** 20)]) });
    expect([huge.statusCode, huge.json()]).toEqual([413, { error: 'Gambar paling besar 5 MB; tidak ada yang dikirim.' }]);
    const forged = await send(id, rina, { text: 'x' }, { name: 'foto.png', type: 'image/png', bytes: PNG });
    expect(forged.statusCode).toBe(403);
    expect([rig.sent.length - sentBefore, outbound()]).toEqual([0, []]);
  });

  it('still sends a text-only reply from the same form', async () => {
    const { rina, id } = await escalated();
    await send(id, rina, { _csrf: rina.csrf, text: 'Halo Kak, saya Rina' }, { name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) });
    expect(rig.textsTo('62811').at(-1)).toBe('Halo Kak, saya Rina');
    expect(outbound()).toEqual([]);
  });
});
