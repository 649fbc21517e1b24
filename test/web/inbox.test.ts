import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { removeTempDirs } from '../helpers/temp.js';
import { flowsFrom } from '../helpers/engine.js';
import { form, WebRig, type Session } from '../helpers/web-rig.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

async function staffRig(): Promise<{ rina: Session }> {
  rig = await new WebRig().start();
  await rig.account('Rina');
  return { rina: await rig.session('Rina') };
}

const get = (url: string, session: Session) => rig.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
const postForm = (url: string, session: Session, fields: Record<string, string>) =>
  rig.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, _csrf: session.csrf }) });
const postJson = (url: string, session: Session, body: object) => rig.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload: body });

describe('the inbox', () => {
  it('speaks English when the flows say settings.language: en', async () => {
    rig = await new WebRig(flowsFrom(`
settings: { language: en }
flows:
  human: { triggers: [admin], steps: [ { escalate: "Minta admin" } ] }
`)).start();
    await rig.account('Rina');
    const rina = await rig.session('Rina');
    await rig.customerSays('62811', 'admin', 'Budi');
    const page = await get('/', rina);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toMatch(/Log out.*Waiting.*Budi.*waiting just now/s);
    const refused = await postJson(`/api/conversations/${rig.customerId('62811')}/reply`, rina, { text: '' });
    expect(refused.json()).toEqual({ error: '"text" is required' });
  });

  it('lists a waiting escalation with the customer, the reason, the wait and the last message', async () => {
    const { rina } = await staffRig();
    await rig.customerSays('62811', 'admin', 'Budi');
    rig.now += 7 * 60_000;
    await rig.customerSays('62811', 'Halo? Pesanan saya belum sampai');
    const page = await get('/', rina);
    expect(page.body).toContain('<title>(1) Kotak Masuk · Setia</title>');
    const waiting = page.body.slice(page.body.indexOf('Menunggu'), page.body.indexOf('</section>'));
    expect(waiting).toMatch(/Budi.*\+62811.*Minta admin.*menunggu 7 mnt.*Pelanggan:.*Halo\? Pesanan saya belum sampai/s);

    const api = (await get('/api/inbox', rina)).json<{ unread: number; waiting: Array<{ name: string; reason: string }> }>();
    expect(api.unread).toBe(1);
    expect(api.waiting).toMatchObject([{ name: 'Budi', reason: 'Minta admin' }]);
  });

  it('names the shop’s phone in the shop’s language when someone answered from it', async () => {
    const { rina } = await staffRig();
    await rig.customerSays('62811', 'admin', 'Budi');
    await rig.desk.ownMessage({ id: 'PHONE-1', chatId: '62811@s.whatsapp.net', phone: '62811', kind: 'text', text: 'Halo Kak, saya bantu ya', at: rig.now });
    const inbox = (await get('/', rina)).body;
    const conversation = (await get(`/conversations/${rig.customerId('62811')}`, rina)).body;
    for (const page of [inbox, conversation]) {
      expect(page).toContain('HP toko');
      expect(page).not.toContain('shop&#39;s phone');
      expect(page).not.toContain("shop's phone");
    }
  });

  it('orders waiting escalations first, then mine, then colleagues’', async () => {
    const { rina } = await staffRig();
    await rig.account('Dewi');
    const dewi = await rig.session('Dewi');
    for (const phone of ['62811', '62822', '62833']) await rig.customerSays(phone, 'admin', `Pelanggan ${phone}`);
    await postForm(`/api/conversations/${rig.customerId('62811')}/claim`, rina, {});
    await postForm(`/api/conversations/${rig.customerId('62822')}/claim`, dewi, {});
    const view = (await get('/api/inbox', rina)).json<Record<string, Array<{ name: string }>>>();
    expect([view.waiting, view.mine, view.others].map((list) => list!.map((entry) => entry.name))).toEqual([['Pelanggan 62833'], ['Pelanggan 62811'], ['Pelanggan 62822']]);
  });

  it('shows the whole transcript, each message marked, with what the flows captured', async () => {
    const { rina } = await staffRig();
    await rig.customerSays('62811', 'halo');
    await rig.customerSays('62811', 'admin');
    await rig.desk.reply(rig.customerId('62811'), 'Rina', 'Halo Kak, saya Rina');
    const page = await get(`/conversations/${rig.customerId('62811')}`, rina);
    const messages = [...page.body.matchAll(/<li class="msg (\w+)">\s*<span class="by">([^<]+)<\/span>.*?<p>([^<]*)<\/p>/gs)].map((m) => [m[1], m[2], m[3]]);
    expect(messages).toEqual([
      ['customer', 'Pelanggan', 'halo'],
      ['bot', 'Bot', 'Bot: halo'],
      ['customer', 'Pelanggan', 'admin'],
      ['bot', 'Bot', 'Sebentar ya, admin segera membalas'],
      ['staff', 'Staf · Rina', 'Halo Kak, saya Rina'],
    ]);
    expect(page.body).toContain('Dengan Rina: Minta admin');
    expect(page.body).toMatch(/<dt>Promosi<\/dt><dd>menerima<\/dd>/);
  });

  it('replies, notes, tags, claims and hands back from the page’s forms', async () => {
    const { rina } = await staffRig();
    await rig.customerSays('62811', 'admin');
    const base = `/api/conversations/${rig.customerId('62811')}`;
    const reply = await postForm(`${base}/reply`, rina, { text: 'Pesanan Kakak dikirim hari ini' });
    expect([reply.statusCode, reply.headers.location]).toEqual([303, `/conversations/${rig.customerId('62811')}`]);
    await postForm(`${base}/notes`, rina, { text: 'Pelanggan lama, kirim bonus stiker' });
    await postForm(`${base}/tags`, rina, { add: 'vip' });
    await postForm(`${base}/release`, rina, { message: 'Terima kasih, Kak!' });
    expect(rig.textsTo('62811')).toEqual(['Sebentar ya, admin segera membalas', 'Pesanan Kakak dikirim hari ini', 'Terima kasih, Kak!']);
    const customer = rig.store.customers.get('62811@s.whatsapp.net')!;
    expect(customer.tags).toEqual(['vip']);
    expect(rig.store.notes.list(customer.rowId)).toMatchObject([{ author: 'Rina', text: 'Pelanggan lama, kirim bonus stiker' }]);
    // Handed back: the flows answer the customer again.
    await rig.customerSays('62811', 'masih ada?');
    expect(rig.textsTo('62811').at(-1)).toBe('Bot: masih ada?');
    await postForm(`${base}/tags`, rina, { remove: 'vip' });
    expect(rig.store.customers.get('62811@s.whatsapp.net')!.tags).toEqual([]);
  });

  it('answers the JSON API with the conversation, and refuses an empty or oversized reply', async () => {
    const { rina } = await staffRig();
    await rig.customerSays('62811', 'admin');
    const base = `/api/conversations/${rig.customerId('62811')}`;
    const claimed = await postJson(`${base}/claim`, rina, {});
    expect(claimed.json()).toMatchObject({ escalation: { status: 'claimed', claimedBy: 'Rina' } });
    expect((await postJson(`${base}/reply`, rina, { text: '   ' })).json()).toEqual({ error: '"text" wajib diisi' });
    expect((await postJson(`${base}/reply`, rina, { text: 'x'.repeat(4_097) })).statusCode).toBe(400);
    const huge = await postJson(`${base}/reply`, rina, { text: 'x'.repeat(70_000) });
    expect(huge.statusCode).toBe(413);
    expect((await postJson('/api/conversations/999/reply', rina, { text: 'halo' })).statusCode).toBe(404);
    expect(rig.textsTo('62811')).toEqual(['Sebentar ya, admin segera membalas']);
  });

  it('shows what customers write as text: no markup, no script, and a strict CSP', async () => {
    const { rina } = await staffRig();
    const attack = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    await rig.customerSays('62811', 'admin', `"><img src=x onerror=alert(2)>`);
    await rig.customerSays('62811', attack);
    for (const url of ['/', `/conversations/${rig.customerId('62811')}`]) {
      const page = await get(url, rina);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    }
  });

  it('serves its own static files and nothing outside them', async () => {
    await staffRig();
    expect((await rig.app.inject({ method: 'GET', url: '/static/app.js' })).statusCode).toBe(200);
    for (const url of ['/static/../../package.json', '/static/%2e%2e/%2e%2e/package.json', '/static/..%2f..%2fpackage.json']) {
      const response = await rig.app.inject({ method: 'GET', url });
      expect([url, response.statusCode]).toEqual([url, 404]);
    }
  });

  it('sends only the live region, with the title, when a page refreshes itself', async () => {
    const { rina } = await staffRig();
    await rig.account('Sari', 'owner');
    const sari = await rig.session('Sari');
    await rig.customerSays('62811', 'admin');
    for (const [url, session] of [['/', rina], [`/conversations/${rig.customerId('62811')}`, rina], ['/owner', sari]] as const) {
      const live = await rig.app.inject({ method: 'GET', url, headers: { cookie: session.cookie, 'x-setia-live': '1' } });
      expect([url, live.body.includes('<html'), live.body.includes('<form')]).toEqual([url, false, false]);
      expect(decodeURIComponent(String(live.headers['x-setia-title']))).toMatch(/^\(1\) .* · Setia$/);
    }
  });

  it('answers /healthz without a login and without personal data', async () => {
    await staffRig();
    await rig.customerSays('62811', 'admin', 'Budi');
    const health = await rig.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ ok: true, whatsapp: true, redis: null });
  });

  it('announces a new escalation on the live stream at once', async () => {
    const { rina } = await staffRig();
    const address = await rig.app.listen({ port: 0, host: '127.0.0.1' });
    const received: string[] = [];
    const firstChange = new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${address}/api/events`, { headers: { cookie: rina.cookie } }, (response) => {
        expect(response.headers['content-type']).toBe('text/event-stream');
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          received.push(chunk);
          if (chunk.includes('event: change')) {
            request.destroy();
            resolve();
          }
        });
        void rig.customerSays('62811', 'admin');
      });
      request.on('error', reject);
      request.end();
    });
    await firstChange;
    expect(received.join('')).toContain(`event: change\ndata: {"customerId":${rig.customerId('62811')}}`);
  });
});

describe('quick replies', () => {
  async function shopWithQuickReplies(): Promise<Session> {
    rig = await new WebRig(flowsFrom(`
settings:
  quick_replies:
    ongkir: "Halo {{customer.name}}, ongkir ke Bandung Rp10.000 ya."
flows:
  human: { triggers: [admin], steps: [ { escalate: "Minta admin" } ] }
`)).start();
    await rig.account('Rina');
    return rig.session('Rina');
  }

  it('offers the saved answers and sends /ongkir filled for the customer', async () => {
    const rina = await shopWithQuickReplies();
    await rig.customerSays('62811', 'admin', 'Budi');
    const base = `/api/conversations/${rig.customerId('62811')}`;
    expect((await get(`/conversations/${rig.customerId('62811')}`, rina)).body).toMatch(/<ul class="quick-replies"[^>]*><li><button type="button" data-quick="\/ongkir"><b>\/ongkir<\/b>/);
    expect((await postForm(`${base}/reply`, rina, { text: '/ongkir' })).statusCode).toBe(303);
    expect(rig.textsTo('62811').at(-1)).toBe('Halo Budi, ongkir ke Bandung Rp10.000 ya.');
  });

  it('refuses an unknown /name and sends nothing', async () => {
    const rina = await shopWithQuickReplies();
    await rig.customerSays('62811', 'admin', 'Budi');
    const before = rig.textsTo('62811').length;
    const refused = await postJson(`/api/conversations/${rig.customerId('62811')}/reply`, rina, { text: '/ongkos' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: 'Tidak ada jawaban cepat "/ongkos"; tidak ada yang dikirim.' });
    expect(rig.textsTo('62811').length).toBe(before);
  });
});
