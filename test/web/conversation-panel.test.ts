/** The customer beside the chat: who, tags edited in place, counters, saved answers, check-ins with ratings, earlier escalations. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { flowsFrom } from '../helpers/engine.js';
import { removeTempDirs } from '../helpers/temp.js';
import { form, WebRig, type Session } from '../helpers/web-rig.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

const SHOP = flowsFrom(`
checkins:
  puas: { who: { tag: loyal }, every: 30d, flow: nilai }
  terima_kasih: { who: { tag: loyal }, every: 60d, flow: makasih }
fallback: echo
flows:
  echo: { steps: [ { say: "Bot: {{message.text}}" } ] }
  pesan: { triggers: [pesan], steps: [ { count: orders }, { ask: "Alamat kirim ke mana, Kak?", save: alamat }, { say: "Siap dikirim ke {{alamat}}" } ] }
  human: { triggers: [admin], steps: [ { escalate: "Minta admin" } ] }
  nilai: { steps: [ { ask: "Nilai 1-5?", save: rating } ] }
  makasih: { steps: [ { say: "Terima kasih sudah belanja" } ] }
`);

async function shop(): Promise<Session> {
  rig = await new WebRig(SHOP).start();
  await rig.account('Rina');
  return rig.session('Rina');
}

const page = async (session: Session): Promise<string> =>
  (await rig.app.inject({ method: 'GET', url: `/conversations/${rig.customerId('62811')}`, headers: { cookie: session.cookie } })).body;

/** The panel's markup, tags collapsed to their text. */
const panelOf = (body: string): string => body.slice(body.indexOf('<aside class="customer-panel"'), body.indexOf('</aside>'));

describe('the customer panel', () => {
  it('shows who the customer is, their counters, saved answers (escaped), check-ins with ratings and earlier escalations', async () => {
    const rina = await shop();
    await rig.customerSays('62811', 'pesan', 'Budi');
    await rig.customerSays('62811', 'Jl. Mawar <b>5</b>');
    const id = rig.customerId('62811');
    rig.store.checkins.record('job-1', id, 'puas', 'nilai', rig.now);
    rig.now += 60_000;
    await rig.customerSays('62811', '4 mantap');
    rig.store.checkins.record('job-2', id, 'terima_kasih', 'makasih', rig.now);
    await rig.customerSays('62811', 'admin');
    await rig.desk.reply(id, 'Rina', 'Halo Kak');
    rig.now += 25 * 60_000;
    await rig.desk.release(id, 'Rina');
    await rig.customerSays('62811', 'admin'); // open again now: not an earlier one
    rig.now += 60_000;
    rig.store.checkins.record('job-3', id, 'puas', 'nilai', rig.now);

    const panel = panelOf(await page(rina));
    expect(panel).toMatch(/<h2>Budi<\/h2>\s*<p class="phone"><a href="https:\/\/wa.me\/62811">\+62811<\/a>/);
    expect(panel).toContain('<dt>Pesan dari pelanggan</dt><dd>5</dd>');
    expect(panel).toMatch(/<dt>Kontak pertama<\/dt><dd>\d\d\.\d\d<\/dd>/);
    expect(panel).toContain('<dt>orders</dt><dd>1</dd>');
    expect(panel).toContain('<dt>alamat</dt><dd>Jl. Mawar &lt;b&gt;5&lt;/b&gt;</dd>');
    expect(panel).not.toContain('<b>5</b>');
    expect(panel).toMatch(/Sapaan terkirim.*puas · belum dijawab.*terima_kasih · dijawab: “admin”.*puas · nilai 4 dari 5/s);
    expect(panel).toMatch(/Eskalasi sebelumnya.*Minta admin\s*<span class="meta">ditangani Rina · selesai dalam 25 mnt<\/span>/s);
    expect(panel.match(/Minta admin/g)).toHaveLength(1);
  });

  it('edits tags in the panel, the one place for them, and keeps its forms out of the live region', async () => {
    const rina = await shop();
    await rig.customerSays('62811', 'admin', 'Budi');
    const id = rig.customerId('62811');
    const post = (fields: Record<string, string>) =>
      rig.app.inject({ method: 'POST', url: `/api/conversations/${id}/tags`, headers: { cookie: rina.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, _csrf: rina.csrf }) });

    const before = await page(rina);
    expect(before.match(/name="add"/g)).toHaveLength(1);
    expect(panelOf(before)).toContain('class="add-tag"');
    await post({ add: 'vip' });
    await post({ add: 'grosir' });
    let panel = panelOf(await page(rina));
    expect([...panel.matchAll(/<span class="tag">([^<]+)<\/span>/g)].map((m) => m[1])).toEqual(['vip', 'grosir']);
    expect(panel).toContain('aria-label="Hapus “vip”"');
    await post({ remove: 'vip' });
    panel = panelOf(await page(rina));
    expect([...panel.matchAll(/<span class="tag">([^<]+)<\/span>/g)].map((m) => m[1])).toEqual(['grosir']);

    const live = await rig.app.inject({ method: 'GET', url: `/conversations/${id}`, headers: { cookie: rina.cookie, 'x-setia-live': '1' } });
    expect(live.body).not.toContain('customer-panel');
  });

  it('says so when there are no check-ins or earlier escalations yet', async () => {
    const rina = await shop();
    await rig.customerSays('62811', 'halo', 'Budi');
    const panel = panelOf(await page(rina));
    expect(panel).toMatch(/Sapaan terkirim<\/h3>\s*<p class="empty">belum ada<\/p>/);
    expect(panel).toMatch(/Eskalasi sebelumnya<\/h3>\s*<p class="empty">belum ada<\/p>/);
  });
});
