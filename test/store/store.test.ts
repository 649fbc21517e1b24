import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('store', () => {
  it('creates the database in WAL mode and applies each migration once', () => {
    const path = join(tempDir(), 'nested', 'setia.db');
    const store = Store.open(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.at(-1)!.version); // numbers are reserved per feature, so gaps may exist
    store.close();
    const again = openDatabase(path);
    expect((again.prepare('SELECT count(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('applies only migrations newer than the database', () => {
    const path = join(tempDir(), 'setia.db');
    openDatabase(path).close();
    const next = [...MIGRATIONS, { version: MIGRATIONS.at(-1)!.version + 1, name: 'later', sql: 'CREATE TABLE later_things (id INTEGER PRIMARY KEY)' }];
    const db = openDatabase(path, next);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version + 1);
    db.close();
  });

  it('stores an inbound message id once', () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const customer = store.customers.contact('628111@s.whatsapp.net', 1_000, { pushName: 'Ani', phone: '628111' });
    const halo = { id: 'ABC', chatId: customer.id, kind: 'text', text: 'halo', at: 1_000 } as const;
    expect(store.messages.recordInbound(halo, customer.rowId)).toBe('new');
    expect(store.messages.recordInbound(halo, customer.rowId)).toBe('duplicate');
    expect(store.messages.transcript(customer.rowId)).toHaveLength(1);
    store.close();
  });

  it('keeps a message recorded to wait for its turn, with its location, until it is taken once', () => {
    const dbPath = join(tempDir(), 'setia.db');
    let store = Store.open(dbPath);
    const customer = store.customers.contact('628111@s.whatsapp.net', 1_000, { pushName: 'Ani' });
    const shared = { id: 'LOC1', chatId: customer.id, kind: 'location', text: 'Toko', at: 1_000, location: { latitude: -6.2, longitude: 106.8, name: 'Toko' } } as const;
    store.messages.recordWaiting(shared, customer.rowId);
    store.messages.recordWaiting(shared, customer.rowId);
    store.close();
    store = Store.open(dbPath); // a restart: the message is still there, as it arrived
    expect(store.messages.waiting()).toEqual([shared]);
    expect(store.messages.recordInbound(shared, customer.rowId)).toBe('waiting');
    expect(store.messages.recordInbound(shared, customer.rowId)).toBe('duplicate');
    expect(store.messages.waiting()).toEqual([]);
    expect(store.messages.transcript(customer.rowId)).toHaveLength(1);
    store.close();
  });

  it('keeps first contact, moves last contact forward, and lets a flow-set name win over the WhatsApp name', () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const id = '628111@s.whatsapp.net';
    const first = store.customers.contact(id, 1_000, { pushName: 'ani' });
    store.customers.save(first, { ...first, name: 'Ibu Ani', tags: ['loyal'], counters: { orders: 2 }, vars: { kota: 'Bandung' }, optedOut: true });
    const later = store.customers.contact(id, 5_000, { pushName: 'ani 2', phone: '628111' });
    expect(later).toMatchObject({ name: 'Ibu Ani', nameSource: 'flow', phone: '628111', firstContactAt: 1_000, lastContactAt: 5_000 });
    expect(later).toMatchObject({ tags: ['loyal'], counters: { orders: 2 }, vars: { kota: 'Bandung' }, optedOut: true });
    store.close();
  });

  it('round-trips a waiting conversation', () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const customer = store.customers.contact('628111@s.whatsapp.net', 1_000);
    expect(store.conversations.get(customer.rowId)).toBeNull();
    const conversation = {
      waiting: { kind: 'menu' as const, flow: 'welcome', path: [1, 'option:0', 2], flowVersion: 'abc', stepKey: 'menu:a|b', retries: 2 },
      escalated: false,
      pausedUntil: 9_000,
      lastActivityAt: 2_000,
    };
    store.conversations.save(customer.rowId, conversation, 2_000);
    expect(store.conversations.get(customer.rowId)).toEqual(conversation);
    store.close();
  });
});
