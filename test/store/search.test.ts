import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SearchIndexer } from '../../src/store/search-indexer.js';
import type { SearchResults, Segment } from '../../src/store/search.js';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
let seq = 0;

function shop(): Store {
  return Store.open(join(tempDir(), 'setia.db'));
}

/** A customer (by phone) and what they wrote, stored as the pipeline stores it. */
function customerWrites(store: Store, phone: string, name: string, ...texts: string[]): number {
  const chatId = `${phone}@s.whatsapp.net`;
  const customer = store.customers.contact(chatId, T0, { pushName: name, phone, inbound: true });
  for (const text of texts) store.messages.recordInbound({ id: `M${++seq}`, chatId, phone, pushName: name, kind: 'text', text, at: T0 + seq * 1000 }, customer.rowId);
  return customer.rowId;
}

const marked = (parts: Segment[]): string => parts.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');
const snippets = (results: SearchResults): string[] => results.messages.map((hit) => marked(hit.snippet));

describe('searching messages', () => {
  it('finds a message by a word of it, both before the indexer reaches it and after', () => {
    const store = shop();
    const budi = customerWrites(store, '6281234567890', 'Budi', 'Kak, ongkir ke Bandung berapa?', 'makasih kak');
    expect(store.search.backlog()).toBe(2);
    const fresh = store.search.search('bandung');
    new SearchIndexer(store.search, silentLog).catchUp();
    expect(store.search.backlog()).toBe(0);
    const indexed = store.search.search('bandung');
    for (const results of [fresh, indexed]) {
      expect(results.messages).toHaveLength(1);
      expect(results.messages[0]).toMatchObject({ customerId: budi, name: 'Budi', phone: '6281234567890', sender: 'customer' });
      expect(snippets(results)).toEqual(['Kak, ongkir ke [Bandung] berapa?']);
    }
    store.close();
  });

  it('ignores case and diacritics, matches the word being typed by its beginning, and a finished word whole', () => {
    const store = shop();
    customerWrites(store, '628111', 'Ani', 'Mau lihat KATALOG dong', 'Kopi di Café Sari enak');
    new SearchIndexer(store.search, silentLog).catchUp();
    expect(snippets(store.search.search('katal'))).toEqual(['Mau lihat [KATALOG] dong']);
    expect(store.search.search('katal ').messages).toEqual([]); // a space after it: the word "katal" itself
    expect(snippets(store.search.search('CAFE sari'))).toEqual(['Kopi di [Café] [Sari] enak']);
    store.close();
  });

  it('reads whatever staff type as words, never as FTS5 syntax', () => {
    const store = shop();
    customerWrites(store, '628111', 'Ani', 'ongkir ke bandung', 'NEAR the "end" OR not');
    new SearchIndexer(store.search, silentLog).catchUp();
    for (const query of ['"', 'ongkir OR xyz', 'NEAR(ongkir bandung)', 'text:ongkir*', '^ongkir -bandung', '*', 'ongkir AND', '(', "o'neil"]) {
      expect(() => store.search.search(query)).not.toThrow();
    }
    expect(store.search.search('ongkir OR xyz').messages).toEqual([]); // every word must be there, "or" and "xyz" too
    expect(snippets(store.search.search('NEAR(ongkir bandung)'))).toEqual([]);
    expect(snippets(store.search.search('near end or'))).toEqual(['[NEAR] the "[end]" [OR] not']);
    store.close();
  });

  it('lists the newest first, at most 50, and says when there are more', () => {
    const store = shop();
    customerWrites(store, '628111', 'Ani', ...Array.from({ length: 60 }, (_, i) => `order nomor ${i}`));
    new SearchIndexer(store.search, silentLog, { batch: 7 }).catchUp();
    customerWrites(store, '628111', 'Ani', 'order nomor 60'); // not indexed yet: still first
    const results = store.search.search('order');
    expect(results.messages).toHaveLength(50);
    expect(results.moreMessages).toBe(true);
    expect(snippets(results).slice(0, 3)).toEqual(['[order] nomor 60', '[order] nomor 59', '[order] nomor 58']);
    expect(store.search.search('nomor 59').moreMessages).toBe(false);
    store.close();
  });

  it('shows a long message cut around the first hit', () => {
    const store = shop();
    customerWrites(store, '628111', 'Ani', `${'sebelum '.repeat(40)}alamat saya di Jalan Melati ${'sesudah '.repeat(40)}`);
    const [hit] = snippets(store.search.search('melati'));
    expect(hit).toMatch(/^…(sebelum ){4,}alamat saya di Jalan \[Melati\] (sesudah )+/);
    expect(hit).toMatch(/…$/);
    expect(hit!.length).toBeLessThan(180);
    store.close();
  });
});

describe('searching customers', () => {
  it('finds a customer by a phone number written as staff write it', () => {
    const store = shop();
    const budi = customerWrites(store, '6281234567890', 'Budi Santoso', 'halo');
    customerWrites(store, '6285700001111', 'Ani', 'halo');
    for (const query of ['081234567890', '+62 812-3456-7890', '6281234567890', '0812 3456', '+62 0812 3456 7890', '4567890']) {
      const { customers } = store.search.search(query);
      expect(customers.map((hit) => hit.customerId)).toEqual([budi]);
    }
    expect(marked(store.search.search('0812 3456').customers[0]!.phone)).toBe('[628123456]7890');
    store.close();
  });

  it('finds customers by a word of their name or its beginning, the most recently in touch first', () => {
    const store = shop();
    const older = customerWrites(store, '628111', 'Budi Santoso', 'halo');
    const newer = store.customers.contact('628222@s.whatsapp.net', T0 + 999_999, { pushName: 'Ibu BUDIARTI', phone: '628222', inbound: true }).rowId;
    customerWrites(store, '628333', 'Ani', 'halo');
    const results = store.search.search('budi');
    expect(results.customers.map((hit) => [hit.customerId, marked(hit.name)])).toEqual([[newer, 'Ibu [BUDIARTI]'], [older, '[Budi] Santoso']]);
    store.close();
  });
});

describe('the index over time', () => {
  it('catches up on a database that held messages before search existed, and resumes where it stopped', () => {
    const path = join(tempDir(), 'setia.db');
    const before = openDatabase(path, MIGRATIONS.filter((migration) => migration.version < 14));
    before.prepare(`INSERT INTO customers (id, wa_id, phone, name, created_at) VALUES (1, '628111@s.whatsapp.net', '628111', 'Ani', ?)`).run(T0);
    const insert = before.prepare(`INSERT INTO messages (wa_id, customer_id, direction, sender, text, at, status) VALUES (?, 1, 'in', 'customer', ?, ?, 'received')`);
    for (let i = 0; i < 25; i++) insert.run(`OLD${i}`, `pesanan ${i} sudah sampai`, T0 + i);
    before.close();

    const first = Store.open(path);
    expect(first.search.backlog()).toBe(25);
    expect(first.search.indexBatch(10)).toBe(10); // then the process stops
    first.close();

    const second = Store.open(path);
    expect(second.search.backlog()).toBe(15);
    expect(new SearchIndexer(second.search, silentLog, { batch: 10 }).catchUp()).toBe(15);
    expect(second.search.search('ani').customers).toHaveLength(1); // names from before are searchable at once
    const results = second.search.search('sampai');
    expect(results.messages).toHaveLength(25); // each once: nothing indexed twice, nothing skipped
    expect(new Set(results.messages.map((hit) => hit.messageId)).size).toBe(25);
    second.close();
  });

  it('indexes new messages by itself while started, and stops', async () => {
    const store = shop();
    const indexer = new SearchIndexer(store.search, silentLog, { idleMs: 5 });
    indexer.start();
    customerWrites(store, '628111', 'Ani', 'transfer sudah ya');
    while (store.search.backlog() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    indexer.stop();
    customerWrites(store, '628111', 'Ani', 'resi mana kak');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.search.backlog()).toBe(1); // stopped: nothing more is indexed
    store.close();
  });
});
