/**
 * Benchmark: search in the staff inbox (src/store/search.ts) on the scale benchmark's database of 100,000
 * customers and 3 million messages (bench/scale.ts builds and caches it). Its customers' messages all say
 * "halo kak", so on this run's copy they are first rewritten as varied shop chat (a seeded mix of common and
 * rare words, with an invoice code in some), then:
 *
 * - the index is built from cold by the real indexer (once per run: the one-off cost of migration 14 on a shop
 *   that already has a history);
 * - searches by transcript words (common, rare, two words, a word being typed), by name and by phone (as typed:
 *   "0812…", "+62 812-…", "62812…"), each through `store.search` as the inbox page calls it: median and p99,
 *   against a baseline measured in the same run (the scan a search would cost without the index, a primary-key
 *   lookup for customers);
 * - what search costs the pipeline: the indexer's batch time per 1,000 fresh messages, and the pipeline's
 *   throughput with search (the customer-name triggers, the indexer running beside it) against without (the
 *   triggers dropped, no indexer), on fresh databases in turn.
 */
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.js';
import { FlowRegistry } from '../src/flows/registry.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { SearchIndexer } from '../src/store/search-indexer.js';
import { Store } from '../src/store/store.js';
import { collectGarbage, log, RUNS, silentLog, tempDir } from './common.js';
import { CUSTOMERS, throughput } from './pipeline.js';
import { median, quantile, type BenchOutcome, type Figure, figureLines } from './report.js';
import { historyDb } from './scale.js';
import { benchClock, messages, openShop, SHIPPED_FLOWS } from './workload.js';

const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
const TARGET_P99_MS = 50;
const TARGET_PIPELINE_RATIO = 0.95;
const HISTORY_CUSTOMERS = Number(process.env.BENCH_HISTORY_CUSTOMERS ?? 100_000);

/** What customers of a clothes shop write, most common first (picked with a skew, so the first words are frequent). */
const WORDS = (
  'kak mau order harga ya dong berapa ongkir ready stok size daster batik gamis kemeja warna merah biru hitam putih ' +
  'hijau kirim transfer sudah belum kapan dikirim resi alamat bandung jakarta surabaya medan makassar semarang ' +
  'jogja bali malang bekasi depok bogor tangerang cod bisa gak min promo diskon katalog produk baru restock ' +
  'ukuran xl jilbab hijab celana rok tunik kulot outer cardigan blouse piyama mukena sarung kain motif parang ' +
  'kawung mega mendung lasem pekalongan solo grosir ecer reseller dropship lusin kodi paket sampai besok lusa ' +
  'minggu sabtu rekening bca mandiri bri bni dana ovo gopay qris bukti foto tunggu sebentar oke siap terima ' +
  'kasih makasih mantap cantik bagus kecil besar panjang pendek bahan katun rayon sutra adem tebal tipis ' +
  'luntur tukar retur refund komplain rusak sobek salah kurang lebih tambah batal'
).split(' ');

/** Deterministic text for message `id`: 3–9 words, about one in 20 with an invoice code (a rare word). */
function chatText(id: number): string {
  const random = seededRandom(id);
  const words = Array.from({ length: 3 + Math.floor(random() * 7) }, () => WORDS[Math.floor(random() ** 2.2 * WORDS.length)]!);
  if (random() < 0.05) words.push(`inv${id % 1_000_003}`);
  return words.join(' ');
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

interface Timings {
  median: number;
  p99: number;
}

function timings(values: number[]): Timings {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), p99: quantile(sorted, 0.99) };
}

/** The history database with its customers' messages rewritten as varied chat. */
function preparedHistory(): string {
  const path = historyDb();
  const db = openDatabase(path);
  db.function('chat_text', { deterministic: true }, (id) => chatText(Number(id)));
  const seconds = timed(() => db.prepare(`UPDATE messages SET text = chat_text(id) WHERE direction = 'in'`).run()) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log(`  customers' messages rewritten as varied chat in ${round(seconds, 1)} s`);
  return path;
}

function queryFigure(name: string, values: Timings, baseline: number, baselineNote: string): Figure[] {
  return [
    { bench: 'search', name: `${name}, median`, value: round(values.median, 3), unit: 'ms', baseline: round(baseline, 3), ratio: round(values.median / baseline, 3), note: baselineNote },
    { bench: 'search', name: `${name}, p99`, value: round(values.p99, 3), unit: 'ms', target: `<= ${TARGET_P99_MS} ms`, pass: values.p99 <= TARGET_P99_MS },
  ];
}

/** Queries of every kind staff type, chosen with a seeded random so runs compare. */
function wordQueries(random: () => number): string[] {
  const pick = (from: number, to: number): string => WORDS[from + Math.floor(random() * (to - from))]!;
  const kinds = [
    () => pick(0, 20), // a common word
    () => pick(80, WORDS.length), // a rare one
    () => `${pick(0, 40)} ${pick(20, 80)}`, // two words
    () => pick(20, WORDS.length).slice(0, 3), // a word being typed
    () => `inv${Math.floor(random() * 1_000_003)}`, // an invoice code (one message or none)
  ];
  return Array.from({ length: QUERIES }, (_, i) => kinds[i % kinds.length]!());
}

function phoneQueries(random: () => number): string[] {
  const formats = [
    (n: string) => `0812${n}`,
    (n: string) => `+62 812-${n.slice(0, 4)}-${n.slice(4)}`,
    (n: string) => `62812${n}`,
    (n: string) => n.slice(2), // the end of a number, found anywhere
  ];
  return Array.from({ length: QUERIES }, (_, i) => formats[i % formats.length]!(String(Math.floor(random() * HISTORY_CUSTOMERS)).padStart(8, '0')));
}

function measureQueries(store: Store, queries: string[]): number[] {
  collectGarbage();
  return queries.map((query) => timed(() => store.search.search(query)));
}

/** The customer-name triggers of migration 14: dropped for the run without search. */
const NAME_TRIGGERS = ['customer_search_insert', 'customer_search_rename', 'customer_search_delete'];

/** Throughput of the shipped pipeline on a fresh database: with search (the name triggers and the indexer running beside it) or without. */
async function pipelineRate(path: string, registry: FlowRegistry, tag: string, withSearch: boolean): Promise<number> {
  const shop = openShop(path, { flows: () => registry.current(), log: silentLog });
  const indexer = new SearchIndexer(shop.store.search, silentLog);
  if (withSearch) indexer.start();
  else NAME_TRIGGERS.forEach((name) => shop.store.db.exec(`DROP TRIGGER ${name}`));
  const rate = await throughput({ handle: (message) => shop.transport.deliver(message), close: () => undefined, outbound: () => 0 }, messages(CUSTOMERS, tag), benchClock());
  indexer.stop();
  shop.close();
  return rate;
}

async function indexerCost(): Promise<{ figures: Figure[]; batchMs: number[] }> {
  const registry = FlowRegistry.load(SHIPPED_FLOWS, silentLog);
  const dir = tempDir();
  let n = 0;
  const fresh = (): string => join(dir, `pipeline-${++n}.db`);
  await pipelineRate(fresh(), registry, 'IW', false); // warm-up
  const without: number[] = [];
  const withIndexer: number[] = [];
  const batchMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    without.push(await pipelineRate(fresh(), registry, `IO${run}`, false));
    const path = fresh();
    withIndexer.push(await pipelineRate(path, registry, `II${run}`, true));
    // A batch of fresh messages as the running indexer meets them: the last run's, taken out of the index again.
    const store = Store.open(path);
    store.db.exec(`INSERT INTO message_search (message_search) VALUES ('delete-all'); UPDATE search_state SET indexed_through = 0`);
    for (let i = 0; i < 10; i++) batchMs.push(timed(() => store.search.indexBatch(1_000)));
    store.close();
    log(`  search cost run ${run + 1}/${RUNS}: pipeline ${Math.round(without.at(-1)!)} msg/s without search, ${Math.round(withIndexer.at(-1)!)} msg/s with the name triggers and the indexer running`);
  }
  const ratios = withIndexer.map((value, i) => value / without[i]!);
  const ratio = median(ratios);
  return {
    batchMs,
    figures: [
      { bench: 'search', name: 'indexer batch of 1,000 fresh messages', value: round(median(batchMs), 2), unit: 'ms', runs: batchMs.map((v) => round(v, 2)) },
      {
        bench: 'search', name: 'pipeline throughput with search (triggers + indexer)', value: round(median(withIndexer), 0), unit: 'msg/s', baseline: round(median(without), 0),
        ratio: round(ratio, 3), target: `ratio >= ${TARGET_PIPELINE_RATIO}`, pass: ratio >= TARGET_PIPELINE_RATIO, runs: withIndexer.map((v) => round(v, 0)), ratios: ratios.map((v) => round(v, 3)),
      },
    ],
  };
}

export async function runSearch(): Promise<BenchOutcome> {
  const began = performance.now();
  const store = Store.open(preparedHistory());
  const indexer = new SearchIndexer(store.search, silentLog);
  let indexed = 0;
  const coldMs = timed(() => (indexed = indexer.catchUp()));
  log(`  indexed ${indexed.toLocaleString('en-US')} messages from cold in ${round(coldMs / 1000, 1)} s`);
  store.db.pragma('wal_checkpoint(TRUNCATE)');

  const random = seededRandom(7);
  const words = timings(measureQueries(store, wordQueries(random)));
  const names = timings(measureQueries(store, Array.from({ length: QUERIES }, () => `Pelanggan ${Math.floor(random() * HISTORY_CUSTOMERS)}`)));
  const phones = timings(measureQueries(store, phoneQueries(random)));

  // Baselines, same run: what a word search costs without the index (a LIKE scan of every message: words no
  // message has, so all 3M rows are read, as for a rare word) and a primary-key lookup of one customer.
  const scan = store.db.prepare(`SELECT id FROM messages WHERE text LIKE ? ORDER BY id DESC LIMIT 51`);
  const scanMs = median(['%inv99999999%', '%tidakada%', '%zzz%'].map((pattern) => timed(() => scan.all(pattern))));
  const byId = store.db.prepare('SELECT * FROM customers WHERE id = ?');
  const lookupMs = median(Array.from({ length: 2_000 }, (_, i) => timed(() => byId.get(1 + ((i * 7919) % HISTORY_CUSTOMERS)))));
  const size = store.db.prepare<[], { bytes: number }>(`SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'message_search%'`).get();
  store.close();

  const cost = await indexerCost();
  const figures: Figure[] = [
    { bench: 'search', name: 'index 3M messages from cold (one-off)', value: round(coldMs / 1000, 1), unit: 's', note: `${round(coldMs / (indexed / 1000), 2)} ms per 1,000 messages` },
    ...queryFigure('search by transcript word', words, scanMs, 'baseline: a LIKE scan of all messages'),
    ...queryFigure('search by name', names, lookupMs, 'baseline: customer primary-key lookup'),
    ...queryFigure('search by phone', phones, lookupMs, 'baseline: customer primary-key lookup'),
    ...cost.figures,
  ];
  figureLines(figures).forEach((line) => log(`  ${line}`));
  return {
    bench: 'search',
    figures,
    details: {
      database: `${HISTORY_CUSTOMERS} customers, their messages rewritten as varied chat (bench/scale.ts's cache)`,
      queries: QUERIES,
      indexedMessages: indexed,
      indexMB: size?.bytes ? round(size.bytes / 2 ** 20, 1) : null,
      pipeline: `${CUSTOMERS} customers × 10 messages on fresh databases, with and without the indexer, in turn`,
    },
    seconds: round((performance.now() - began) / 1000, 1),
  };
}
