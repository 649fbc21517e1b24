import { afterAll, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { checkinsPreview } from '../../src/cli/checkins-preview.js';
import { Store } from '../../src/store/store.js';
import { MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const DAY = 86_400_000;

function customer(store: Store, phone: string, name: string, quietDays: number | null, extra: { tags?: string[]; counters?: Record<string, number> } = {}): void {
  const chatId = `${phone}@s.whatsapp.net`;
  store.customers.create(chatId, MONDAY_10AM - 90 * DAY, { name, phone, ...extra }, 'import');
  if (quietDays !== null) store.customers.touchContact(chatId, MONDAY_10AM - quietDays * DAY, { inbound: true });
}

it('setia checkins preview shows who is checked in when, with which words, and why others are skipped', () => {
  const dbPath = join(tempDir(), 'setia.db');
  const store = Store.open(dbPath);
  customer(store, '6281100000001', 'Sari', 29, { tags: ['loyal'] }); // due tomorrow 10:00
  customer(store, '6281100000002', 'Rina', 40, { counters: { orders: 3 } }); // loyal by loyal_when, due now
  customer(store, '6281100000003', 'Ani', null, { tags: ['loyal'] }); // imported, never wrote
  customer(store, '6281100000004', 'Dewi', 3, { tags: ['loyal'] }); // wrote 3 days ago
  customer(store, '6281100000005', 'Budi', 40, { tags: ['loyal'] });
  const budi = store.customers.get('6281100000005@s.whatsapp.net')!;
  store.customers.save(budi, { ...budi, optedOut: true });
  store.close();

  const out = new PassThrough();
  expect(checkinsPreview({ dbPath, flowsDir: 'flows', days: 7, all: false, now: MONDAY_10AM }, out)).toBe(0);
  const text = String(out.read());
  const lines = text.split('\n');
  const rina = lines.findIndex((l) => l.includes('Rina'));
  const sari = lines.findIndex((l) => l.includes('Sari'));
  expect(lines[rina]).toMatch(/^ {2}Mon 23 Nov 10:00 {2}Rina \+6281100000002 {2}\(loyal_monthly\)$/);
  expect(lines[rina + 1]).toMatch(/Rina.*(nilai 1-5|1 sampai 5)/);
  expect(lines[sari]).toMatch(/^ {2}Tue 24 Nov 10:00 {2}Sari/);
  expect(rina).toBeLessThan(sari);
  expect(text).toMatch(/never wrote to the shop: 1 {2}\(Ani\)/);
  expect(text).toMatch(/opted out: 1 {2}\(Budi\)/);
  expect(text).toMatch(/not due within the period: 1 {2}\(Dewi\)/);
});
