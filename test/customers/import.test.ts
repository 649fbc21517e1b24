import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { CheckinPlanner } from '../../src/checkins/planner.js';
import { customersImport } from '../../src/cli/customers-import.js';
import { BATCH_SIZE, importCustomers, type ImportProgress } from '../../src/customers/import.js';
import { CustomerFileError } from '../../src/errors.js';
import { normalizePhone } from '../../src/core/text/phone.js';
import { Store } from '../../src/store/store.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const FIXTURE = resolve('test/fixtures/customers.csv');

/** A monthly check-in with loyal customers, any time of day; `allowImported` lets it reach imported ones. */
function checkinFlows(allowImported = false): string {
  return `
settings:
  checkins: { allow_imported: ${allowImported}, send_window: "00:00-24:00", days: [daily] }
checkins:
  monthly: { who: { tag: loyal }, every: 30d, flow: hello }
flows:
  hello: { steps: [ { say: "Halo {{customer.name | Kak}}, apa kabar?" } ] }
`;
}

function openShop(flows = checkinFlows()): { store: Store; planner: CheckinPlanner } {
  const store = Store.open(join(tempDir(), 'setia.db'));
  const flowSet = flowsFrom(flows);
  return { store, planner: new CheckinPlanner(store, () => flowSet) };
}

function csvFile(text: string, name = 'pelanggan.csv'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

function customerCount(store: Store): number {
  return store.db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
}

const waId = (phone: string): string => `${phone}@s.whatsapp.net`;

describe('normalizePhone', () => {
  it.each([
    ['6281234567890', '6281234567890'],
    ['0812-3456-7890', '6281234567890'],
    ['+62 812 3456 7890', '6281234567890'],
    ['(0812) 3456.7890', '6281234567890'],
    ['0062 812 3456 7890', '6281234567890'],
    ['+62 (0)812 3456 7890', '6281234567890'],
    ['+60 12 345 6789', '60123456789'],
  ])('reads %s as %s', (written, phone) => {
    expect(normalizePhone(written)).toBe(phone);
  });

  it.each(['12ab', '0812', '6.28123E+12', '+0812345678', '1234567890123456', ''])('refuses %p', (written) => {
    expect(normalizePhone(written)).toBeUndefined();
  });
});

describe('importCustomers', () => {
  it('imports the good rows and reports each bad one by the line it starts on', async () => {
    const { store, planner } = openShop();
    const result = await importCustomers(FIXTURE, { store, planner, now: MONDAY_10AM });
    expect(result).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
    expect(result.warnings).toEqual([{ line: 1, message: expect.stringContaining('unknown columns ignored: kota') }]);
    expect(result.bad).toEqual([
      { line: 5, message: 'phone "12ab" is not a phone number (expected digits with country code, e.g. 6281234567890 or 0812…)' },
      { line: 6, message: expect.stringContaining('counter "orders=x" is not a name and a whole number') },
      { line: 10, message: expect.stringContaining('6 cells, but the header has 5 columns') },
      { line: 11, message: 'no phone number' },
    ]);
    expect(customerCount(store)).toBe(4);
    expect(store.customers.get(waId('6281234567890'))).toMatchObject({
      name: 'Budi Santoso',
      nameSource: 'import',
      phone: '6281234567890',
      tags: ['loyal', 'grosir'],
      counters: { orders: 3, visits: 5 },
      importedAt: MONDAY_10AM,
      wroteAt: null,
    });
    expect(store.customers.get(waId('6281311112222'))).toMatchObject({ name: 'Siti Rahayu', tags: [], counters: { orders: 1 } });
    expect(store.customers.get(waId('628155556666'))).toMatchObject({ name: 'Ibu Ani, Warung Ani', tags: ['loyal'] });
    expect(store.customers.get(waId('62817999000'))).toMatchObject({ name: 'Rina', tags: ['reseller', 'loyal'], counters: { visits: 2 } });
    store.close();
  });

  it('adds nobody twice, and merges what a second file adds into known customers', async () => {
    const { store, planner } = openShop();
    const first = csvFile('phone,name,tags,counters\n081234567890,Budi,loyal,orders=3;visits=5\n');
    await importCustomers(first, { store, planner, now: MONDAY_10AM });
    expect(await importCustomers(first, { store, planner, now: MONDAY_10AM + 1 })).toMatchObject({ created: 0, updated: 0, unchanged: 1, bad: [] });

    // A customer who wrote before the import: their WhatsApp name stays, and they do not count as imported.
    store.customers.contact(waId('6281311112222'), 1_000, { pushName: 'siti', inbound: true });
    const second = csvFile(
      ['PHONE,Name,Tags,Counters', '6281234567890,Budi Santoso,grosir;loyal,orders=2;visits=9;points=4', '0813-1111-2222,Siti Rahayu,vip,', '6281234567890,,reseller,'].join('\n'),
    );
    const result = await importCustomers(second, { store, planner, now: MONDAY_10AM + 2 });
    expect(result).toMatchObject({ created: 0, updated: 2, unchanged: 0, bad: [] });
    expect(customerCount(store)).toBe(2);
    expect(store.customers.get(waId('6281234567890'))).toMatchObject({
      name: 'Budi',
      tags: ['loyal', 'grosir', 'reseller'],
      counters: { orders: 3, visits: 9, points: 4 },
      importedAt: MONDAY_10AM,
    });
    expect(store.customers.get(waId('6281311112222'))).toMatchObject({ name: 'siti', nameSource: 'whatsapp', tags: ['vip'], importedAt: null });
    store.close();
  });

  it('gives an imported customer without a name the name WhatsApp shows when they write', async () => {
    const { store, planner } = openShop();
    await importCustomers(csvFile('phone\n081234567890\n'), { store, planner, now: MONDAY_10AM });
    expect(store.customers.contact(waId('6281234567890'), MONDAY_10AM + 1, { pushName: 'Budi', inbound: true }).name).toBe('Budi');
    store.close();
  });

  it('reads a file separated by ";" as Excel writes it in an Indonesian locale', async () => {
    const { store, planner } = openShop();
    const file = csvFile('\ufeffNama;Telepon Lama;Phone;Tags;Counters\r\nBudi, S.E.;-;0812 3456 7890;loyal,grosir;orders=3\r\nSiti;-;abc;;\r\n');
    const result = await importCustomers(file, { store, planner, now: MONDAY_10AM });
    expect(result).toMatchObject({ created: 1, bad: [{ line: 3, message: expect.stringContaining('phone "abc"') }] });
    expect(result.warnings[0]?.message).toContain('Nama, Telepon Lama');
    expect(store.customers.get(waId('6281234567890'))).toMatchObject({ name: null, tags: ['loyal', 'grosir'], counters: { orders: 3 } });
    store.close();
  });

  it('keeps the rows before a broken quote and reports where the reading stopped', async () => {
    const { store, planner } = openShop();
    const file = csvFile('name,phone\r\n"Budi\r\nSantoso",081234567890\r\n"Siti" Rahayu,081311112222\r\nAgus,081577778888\r\n');
    const result = await importCustomers(file, { store, planner, now: MONDAY_10AM });
    expect(result).toMatchObject({ created: 1, bad: [{ line: 4, message: expect.stringContaining('nothing from here on was imported') }] });
    expect(store.customers.get(waId('6281234567890'))?.name).toBe('Budi\r\nSantoso');

    const unclosed = csvFile('name,phone\nSiti,081311112222\n"Agus,081577778888\nDewi,081599990000\n');
    expect(await importCustomers(unclosed, { store, planner, now: MONDAY_10AM })).toMatchObject({
      created: 1,
      bad: [{ line: 3, message: expect.stringMatching(/^a quote \("\) opened here is never closed; nothing from here on was imported/) }],
    });
    expect(customerCount(store)).toBe(2);
    store.close();
  });

  it('writes a large file in batches, reporting progress after each', async () => {
    const { store, planner } = openShop();
    const rows = Array.from({ length: 2 * BATCH_SIZE + 500 }, (_, i) => `Pelanggan ${i},0811${String(i).padStart(8, '0')},loyal`);
    const file = csvFile(['name,phone,tags', ...rows].join('\n'));
    const progress: ImportProgress[] = [];
    const result = await importCustomers(file, { store, planner, now: MONDAY_10AM, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ created: rows.length, bad: [] });
    expect(progress.map((p) => p.rows)).toEqual([BATCH_SIZE, 2 * BATCH_SIZE, rows.length]);
    expect(progress.at(-1)).toMatchObject({ bytes: progress.at(-1)!.totalBytes });
    store.close();
  });

  it('plans no check-in with an imported customer unless checkins.allow_imported is true', async () => {
    const file = csvFile('name,phone,tags\nBudi,081234567890,loyal\n');
    const closed = openShop(checkinFlows(false));
    await importCustomers(file, { ...closed, now: MONDAY_10AM });
    expect(closed.store.customers.get(waId('6281234567890'))?.checkinDueAt).toBeNull();
    closed.store.close();

    const allowed = openShop(checkinFlows(true));
    await importCustomers(file, { ...allowed, now: MONDAY_10AM });
    expect(allowed.store.customers.get(waId('6281234567890'))?.checkinDueAt).toBe(MONDAY_10AM);
    allowed.store.close();
  });

  it('refuses a file it cannot read, an empty one, and one without a phone column', async () => {
    const { store, planner } = openShop();
    const missing = join(tempDir(), 'tidak-ada.csv');
    const failure = (file: string) => importCustomers(file, { store, planner, now: MONDAY_10AM }).catch((error: unknown) => error);
    expect(await failure(missing)).toEqual(new CustomerFileError(`${missing}: cannot read it (ENOENT)`));
    const dir = tempDir();
    expect(await failure(dir)).toEqual(new CustomerFileError(`${dir}: cannot read it (EISDIR)`));
    const empty = csvFile('\n\n');
    expect(((await failure(empty)) as Error).message).toBe(`${empty}: no rows; the first row must be a header such as name,phone,tags,counters`);
    const noPhone = csvFile('nama,telp\nBudi,0812\n');
    expect(((await failure(noPhone)) as Error).message).toBe(`${noPhone}:1: no "phone" column in the header row (nama, telp); expected columns such as name,phone,tags,counters`);
    expect(customerCount(store)).toBe(0);
    store.close();
  });
});

describe('setia customers import', () => {
  function flowsDir(): string {
    const dir = join(tempDir(), 'flows');
    mkdirSync(dir);
    writeFileSync(join(dir, 'shop.yaml'), checkinFlows());
    return dir;
  }

  function sink(): { stream: Writable; text: () => string } {
    let text = '';
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
    return { stream, text: () => text };
  }

  async function run(file: string, dbPath = join(tempDir(), 'setia.db')): Promise<{ code: number; out: string; err: string }> {
    const out = sink();
    const err = sink();
    const code = await customersImport(file, { dbPath, flowsDir: flowsDir(), log: silentLog, out: out.stream, err: err.stream });
    return { code, out: out.text(), err: err.text() };
  }

  it('prints bad rows and the warning as file:line on stderr, the summary on stdout, and exits 1', async () => {
    const { code, out, err } = await run('test/fixtures/customers.csv');
    expect(code).toBe(1);
    expect(out).toBe('imported test/fixtures/customers.csv: 4 new, 0 updated, 0 unchanged, 4 bad rows\n');
    const lines = err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^test\/fixtures\/customers\.csv:1: warning: unknown columns ignored: kota/);
    expect(lines.slice(1).map((line) => line.split(': ')[0])).toEqual([5, 6, 10, 11].map((n) => `test/fixtures/customers.csv:${n}`));
  });

  it('exits 0 when every row was imported, and counts thousands with commas', async () => {
    const rows = Array.from({ length: 1_234 }, (_, i) => `0811${String(i).padStart(8, '0')}`);
    const file = csvFile(['phone', ...rows].join('\n'));
    const dbPath = join(tempDir(), 'setia.db');
    expect(await run(file, dbPath)).toEqual({ code: 0, out: `imported ${file}: 1,234 new, 0 updated, 0 unchanged, 0 bad rows\n`, err: '' });
    expect((await run(file, dbPath)).out).toBe(`imported ${file}: 0 new, 0 updated, 1,234 unchanged, 0 bad rows\n`);
  });

  it('says in one line that a missing file cannot be read, and exits 1', async () => {
    expect(await run('pelanggan-lama.csv')).toEqual({ code: 1, out: '', err: 'pelanggan-lama.csv: cannot read it (ENOENT)\n' });
  });
});
