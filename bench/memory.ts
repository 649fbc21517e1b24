/**
 * Benchmark 3, memory: the resident memory of the running bot (simulator transport) with 100,000 customers in the
 * database and 1,000 conversations going on, measured in a child process (bench/memory-bot.ts) so that the figure
 * is the bot's own. Baseline: a child with Node, tsx and better-sqlite3 opening the same database.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FlowRegistry } from '../src/flows/registry.js';
import { connectRedis, log, removeUnder, RUNS, silentLog, uniquePrefix } from './common.js';
import { customerDb } from './customers.js';
import { figureLines, median, type BenchOutcome, type Figure } from './report.js';
import { SHIPPED_FLOWS } from './workload.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./memory-bot.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MEMORY_CUSTOMERS = Number(process.env.BENCH_MEMORY_CUSTOMERS ?? 100_000);
const TARGET_MB = 200;
/** The V8 flags the bot runs with (bin/setia.js, npm start): the figure is the bot's as shipped. */
const BOT_NODE_FLAGS = ['--max-semi-space-size=8'];

async function child(mode: 'bot' | 'baseline', dbPath: string): Promise<Record<string, number>> {
  const prefix = uniquePrefix('memory');
  try {
    const { stdout } = await run(process.execPath, [...BOT_NODE_FLAGS, '--import', 'tsx', CHILD, mode, dbPath, SHIPPED_FLOWS, prefix], { cwd: ROOT, maxBuffer: 1 << 20, timeout: 600_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  } finally {
    const redis = connectRedis();
    await removeUnder(redis, prefix).finally(() => redis.disconnect());
  }
}

export async function runMemory(): Promise<BenchOutcome> {
  const began = performance.now();
  const registry = FlowRegistry.load(SHIPPED_FLOWS, silentLog);
  const bots: Array<Record<string, number>> = [];
  const bases: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) {
    const base = await child('baseline', customerDb(MEMORY_CUSTOMERS, () => registry.current()));
    const bot = await child('bot', customerDb(MEMORY_CUSTOMERS, () => registry.current()));
    bases.push(base);
    bots.push(bot);
    log(`  memory run ${i + 1}/${RUNS}: peak RSS ${bot.peakRssMB} MB (after start ${bot.afterStartMB} MB, end ${bot.endRssMB} MB, heap ${bot.heapUsedMB} MB), baseline ${base.rssMB} MB; start-up re-plan of ${bot.replanned} customers ${bot.replanMs} ms`);
  }
  const peak = median(bots.map((b) => b.peakRssMB!));
  const baseline = median(bases.map((b) => b.rssMB!));
  const figures: Figure[] = [
    { bench: 'memory', name: 'peak RSS, 100k cust., 1k active', value: peak, unit: 'MB', baseline, ratio: peak / baseline, target: `<= ${TARGET_MB} MB`, pass: peak <= TARGET_MB, runs: bots.map((b) => b.peakRssMB!) },
    { bench: 'memory', name: 'start-up re-plan of all customers', value: median(bots.map((b) => b.replanMs!)), unit: 'ms', note: 'app.ts re-plans every customer at start (batches of 500, yielding between)' },
  ];
  figureLines(figures).forEach((line) => log(`  ${line}`));
  return { bench: 'memory', figures, details: { customers: MEMORY_CUSTOMERS, bot: bots, baseline: bases }, seconds: Math.round((performance.now() - began) / 100) / 10 };
}
