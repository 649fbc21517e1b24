/**
 * Benchmark 5, flat cost as the work grows: the pipeline's throughput (bench/pipeline.ts, the same shipped flows
 * and script) with 20,000 customers in flight (200,000 messages) and with 2,000 customers on a database that
 * already holds 100,000 customers and 3 million messages, each as a ratio to 2,000 customers on a fresh database
 * measured in the same run, in turn with them.
 *
 * The history database is built once with raw inserts in one transaction and kept under the system's temporary
 * directory, keyed by schema version and size (a minute to build, reused by later `npm run bench` runs); each run
 * works on a copy.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowRegistry } from '../src/flows/registry.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openDatabase } from '../src/store/database.js';
import { log, RUNS, silentLog, tempDir } from './common.js';
import { CUSTOMERS, realPipeline, throughput } from './pipeline.js';
import { median, type BenchOutcome, type Figure, figureLines } from './report.js';
import { benchClock, chatIdOf, messages, MONDAY_10AM_WIB, SCRIPT, SHIPPED_FLOWS } from './workload.js';

const IN_FLIGHT = Number(process.env.BENCH_SCALE_CUSTOMERS ?? 20_000);
const HISTORY_CUSTOMERS = Number(process.env.BENCH_HISTORY_CUSTOMERS ?? 100_000);
const HISTORY_MESSAGES = Number(process.env.BENCH_HISTORY_MESSAGES ?? 3_000_000);
const TARGET_RATIO = 0.9;
const DAY = 86_400_000;

const CACHE = join(tmpdir(), 'setia-bench-cache');

/** Customers who wrote before (plain: no tags, nothing planned) and their messages, half in, half out, all sent. */
function buildHistory(path: string, customers: number, total: number): void {
  const db = openDatabase(path);
  const customer = db.prepare(
    `INSERT INTO customers (wa_id, phone, name, created_at, first_contact_at, last_contact_at, last_inbound_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, at, status, sent_at) VALUES (?, ?, ?, ?, 'text', ?, ?, ?, ?)`,
  );
  const start = MONDAY_10AM_WIB - 365 * DAY;
  const perCustomer = Math.ceil(total / customers);
  db.transaction(() => {
    for (let c = 0; c < customers; c++) {
      const wa = chatIdOf(c);
      customer.run(wa, wa.slice(0, -15), `Pelanggan ${c}`, start, start, start + 300 * DAY, start + 300 * DAY);
    }
    // Interleaved as a shop's log is: everyone's first message, then everyone's second, …
    for (let i = 0, n = 0; i < perCustomer && n < total; i++) {
      for (let c = 0; c < customers && n < total; c++, n++) {
        const at = start + Math.floor((i / perCustomer) * 300 * DAY) + c;
        const inbound = i % 2 === 0;
        message.run(`HIST${i}C${c}`, c + 1, inbound ? 'in' : 'out', inbound ? 'customer' : 'bot', inbound ? 'halo kak' : 'Halo! Ada yang bisa kami bantu?', at, inbound ? 'received' : 'sent', inbound ? null : at);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** A fresh copy of the history database (built on first use, then taken from the cache). */
export function historyDb(): string {
  const name = `history-v${MIGRATIONS.length}-${HISTORY_CUSTOMERS}c-${HISTORY_MESSAGES}m.db`;
  const cached = join(CACHE, name);
  if (!existsSync(cached)) {
    mkdirSync(CACHE, { recursive: true });
    const began = performance.now();
    const building = `${cached}.building`;
    rmSync(building, { force: true });
    buildHistory(building, HISTORY_CUSTOMERS, HISTORY_MESSAGES);
    renameSync(building, cached);
    log(`  built ${cached} in ${Math.round((performance.now() - began) / 1000)} s (kept for later runs)`);
  }
  const copy = join(tempDir(), name);
  copyFileSync(cached, copy);
  return copy;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export async function runScale(): Promise<BenchOutcome> {
  const began = performance.now();
  const registry = FlowRegistry.load(SHIPPED_FLOWS, silentLog);
  const dir = tempDir();
  let runNo = 0;
  const measure = async (path: string, customers: number, tag: string): Promise<number> => {
    const shop = realPipeline(path, registry);
    const rate = await throughput(shop, messages(customers, tag), benchClock());
    shop.close();
    return rate;
  };
  const fresh = (): string => join(dir, `scale-${++runNo}.db`);
  await measure(fresh(), 200, 'SW'); // warm-up

  const base: number[] = [];
  const wide: number[] = [];
  const deep: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    base.push(await measure(fresh(), CUSTOMERS, `SB${run}`));
    wide.push(await measure(fresh(), IN_FLIGHT, `SW${run}`));
    deep.push(await measure(historyDb(), CUSTOMERS, `SD${run}`));
    log(`  scale run ${run + 1}/${RUNS}: ${CUSTOMERS} customers ${Math.round(base.at(-1)!)} msg/s; ${IN_FLIGHT} in flight ${Math.round(wide.at(-1)!)} msg/s; on ${HISTORY_MESSAGES.toLocaleString('en-US')} messages ${Math.round(deep.at(-1)!)} msg/s`);
  }
  const figure = (name: string, values: number[]): Figure => {
    const ratios = values.map((v, i) => v / base[i]!);
    const ratio = median(ratios);
    return { bench: 'scale', name, value: median(values), unit: 'msg/s', baseline: median(base), ratio, target: `ratio >= ${TARGET_RATIO}`, pass: ratio >= TARGET_RATIO, runs: values.map((v) => round(v, 0)), ratios: ratios.map((v) => round(v, 3)) };
  };
  const figures = [
    figure(`throughput, ${IN_FLIGHT / 1000}k customers in flight`, wide),
    figure(`throughput, DB of ${HISTORY_CUSTOMERS / 1000}k cust. / ${HISTORY_MESSAGES / 1e6}M msgs`, deep),
  ];
  figureLines(figures).forEach((line) => log(`  ${line}`));
  return {
    bench: 'scale',
    figures,
    details: {
      baseline: `${CUSTOMERS} customers × ${SCRIPT.length} messages on a fresh database, same run`,
      inFlight: { customers: IN_FLIGHT, messages: IN_FLIGHT * SCRIPT.length },
      history: { customers: HISTORY_CUSTOMERS, messages: HISTORY_MESSAGES, activeCustomers: CUSTOMERS, cachedUnder: CACHE },
    },
    seconds: round((performance.now() - began) / 1000, 1),
  };
}
