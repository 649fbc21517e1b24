import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { SearchIndexer } from '../../src/store/search-indexer.js';
import { flowsFrom } from '../helpers/engine.js';
import { removeTempDirs, silentLog } from '../helpers/temp.js';
import { WebRig, type Session } from '../helpers/web-rig.js';

let rig: WebRig;
afterEach(() => rig?.close());
afterAll(removeTempDirs);

async function staffRig(flows?: ConstructorParameters<typeof WebRig>[0]): Promise<Session> {
  rig = await new WebRig(flows).start();
  await rig.account('Rina');
  return rig.session('Rina');
}

const search = (query: string, session: Session) => rig.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(query)}`, headers: { cookie: session.cookie } });

/** The result entries of a section ("Pelanggan" or "Pesan"), as HTML. */
function entries(body: string, heading: string): string[] {
  const section = new RegExp(`<h2>${heading} <span class="count">[^<]*</span></h2>([\\s\\S]*?)</section>`).exec(body)?.[1] ?? '';
  return section.split('<li class="entry">').slice(1);
}

describe('search in the inbox', () => {
  it('is only for logged-in staff', async () => {
    await staffRig();
    const response = await rig.app.inject({ method: 'GET', url: '/search?q=ongkir' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fsearch%3Fq%3Dongkir');
  });

  it('finds a customer by a word they wrote, with the word marked, the time in the shop’s zone and a link to the chat', async () => {
    const rina = await staffRig();
    await rig.customerSays('6281234567890', 'Kak, ongkir ke Bandung berapa?', 'Budi');
    await rig.customerSays('6285700001111', 'mau lihat katalog', 'Ani');
    new SearchIndexer(rig.store.search, silentLog).catchUp();
    const page = await search('bandung', rina);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Cari “bandung” · Setia</title>');
    // The bot's echo and the customer's message, newest first.
    const [echo, hit] = entries(page.body, 'Pesan');
    expect(entries(page.body, 'Pesan')).toHaveLength(2);
    expect(echo).toContain('Bot: Kak, ongkir ke <mark>Bandung</mark> berapa?');
    expect(echo).toContain('<time>10.00</time> · Bot');
    expect(hit).toContain(`href="/conversations/${rig.customerId('6281234567890')}"`);
    expect(hit).toMatch(/Budi<\/span> <span class="phone">\+6281234567890<\/span>/);
    expect(hit).toContain('Kak, ongkir ke <mark>Bandung</mark> berapa?');
    expect(hit).toContain('<time>10.00</time> · Pelanggan'); // Monday 10:00 in Jakarta, the rig's clock
  });

  it('finds the same customer by the phone however it is written', async () => {
    const rina = await staffRig();
    await rig.customerSays('6281234567890', 'halo', 'Budi');
    await rig.customerSays('6285700001111', 'halo', 'Ani');
    for (const query of ['081234567890', '+62 812-3456-7890', '6281234567890']) {
      const [hit, ...others] = entries((await search(query, rina)).body, 'Pelanggan');
      expect(others).toEqual([]);
      expect(hit).toContain(`href="/conversations/${rig.customerId('6281234567890')}"`);
      expect(hit).toContain('+<mark>6281234567890</mark>');
    }
  });

  it('shows what a customer wrote as text: markup is escaped before the hit is marked', async () => {
    const rina = await staffRig();
    await rig.customerSays('62811', '<img src=x onerror=alert(1)> ongkir <b>ongkir</b>', '<script>alert(1)</script>Budi');
    const page = await search('ongkir', rina); // not indexed yet: found among the newest messages
    const [hit] = entries(page.body, 'Pesan');
    expect(hit).toContain('&lt;img src=x onerror=alert(1)&gt; <mark>ongkir</mark> &lt;b&gt;<mark>ongkir</mark>&lt;/b&gt;');
    expect(hit).toContain('&lt;script&gt;alert(1)&lt;/script&gt;Budi');
    expect(page.body).not.toMatch(/<img src=x|<script>alert|<b>ongkir/);
    const attack = await search('"><script>alert(1)</script>', rina);
    expect(attack.statusCode).toBe(200);
    expect(attack.body).not.toContain('<script>alert(1)</script>');
  });

  it('lists the newest 50 and says there are more; says so when nothing matches', async () => {
    const rina = await staffRig();
    for (let i = 0; i < 55; i++) {
      rig.now += 60_000;
      await rig.customerSays('62811', `pesanan nomor ${i}`, 'Budi');
    }
    const page = await search('pesanan', rina);
    const hits = entries(page.body, 'Pesan');
    expect(hits).toHaveLength(50);
    expect(hits[0]).toContain('<mark>pesanan</mark> nomor 54');
    expect(page.body).toContain('<span class="count">50+</span>');
    expect(page.body).toContain('Hanya 50 terbaru yang ditampilkan');
    expect((await search('kulkas', rina)).body).toContain('Tidak ada yang cocok dengan “kulkas”.');
  });

  it('says older messages may be missing while the index is far behind, and finds the newest meanwhile', async () => {
    const rina = await staffRig();
    await rig.customerSays('62811', 'halo', 'Budi');
    const insert = rig.store.db.prepare(`INSERT INTO messages (wa_id, customer_id, direction, sender, text, at, status) VALUES (?, ?, 'in', 'customer', ?, ?, 'received')`);
    rig.store.transaction(() => {
      for (let i = 0; i < 2_100; i++) insert.run(`OLD${i}`, rig.customerId('62811'), i === 0 ? 'resi lama' : `pesan ${i}`, rig.now);
    });
    const behind = await search('pesan 2099', rina);
    expect(behind.body).toContain('Pesan lama masih diindeks; sebagian mungkin belum muncul.');
    expect(entries(behind.body, 'Pesan')[0]).toContain('<mark>pesan</mark> <mark>2099</mark>');
    expect(entries(behind.body, 'Pesan')).toHaveLength(1);
    expect(entries((await search('resi', rina)).body, 'Pesan')).toEqual([]); // the oldest: not reached yet
    new SearchIndexer(rig.store.search, silentLog).catchUp();
    const caughtUp = await search('resi', rina);
    expect(caughtUp.body).not.toContain('Pesan lama masih diindeks');
    expect(entries(caughtUp.body, 'Pesan')[0]).toContain('<mark>resi</mark> lama');
  });

  it('speaks English with settings.language: en, and has a search box on every page', async () => {
    const rina = await staffRig(flowsFrom(`
settings: { language: en }
flows:
  echo: { triggers: [halo], steps: [ { say: "hi" } ] }
`));
    const inbox = await rig.app.inject({ method: 'GET', url: '/', headers: { cookie: rina.cookie } });
    expect(inbox.body).toContain('<form method="get" action="/search" class="search" role="search"><input type="search" name="q" placeholder="Name, phone or words…"');
    const empty = await search('', rina);
    expect(empty.body).toContain('Type a customer’s name, a phone number');
  });
});
