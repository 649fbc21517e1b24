/**
 * The child process of the memory benchmark, so that the resident memory measured is the bot's own. Run as
 * `node --import tsx bench/memory-bot.ts <mode> <db> <flowsDir> <redisPrefix>`; prints one JSON line.
 *
 * - `bot`: the bot as `src/app.ts` composes it, with the simulator transport instead of WhatsApp: flows loaded and
 *   watched, the store, the check-in planner re-planning everyone at start, the pipeline, the check-in sender
 *   and queues on the real Redis (shipped settings). Then 1,000 customers hold conversations, a few messages each
 *   per second, for `BENCH_MEMORY_SECONDS` (default 10); resident memory is sampled every 100 ms.
 * - `baseline`: Node with tsx and better-sqlite3 opening the same database, and nothing else.
 */
import Database from 'better-sqlite3';
import { CheckinPlanner } from '../src/checkins/planner.js';
import { CheckinQueues } from '../src/checkins/queues.js';
import { CheckinSender } from '../src/checkins/sender.js';
import { dueCheckins } from '../src/checkins/sweep.js';
import { FlowRegistry } from '../src/flows/registry.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { CustomerInTurn } from '../src/store/customers.js';
import { Store } from '../src/store/store.js';
import { SimulatorTransport } from '../src/transport/simulator.js';
import { pause, REDIS, silentLog } from './common.js';
import { benchClock, chatIdOf, SCRIPT } from './workload.js';

const ACTIVE = Number(process.env.BENCH_ACTIVE ?? 1_000);
const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 10);
/** Messages per second from the active customers together (each writes every ACTIVE / RATE seconds). */
const RATE = Number(process.env.BENCH_MEMORY_RATE ?? 500);

const [mode, dbPath, flowsDir, prefix] = process.argv.slice(2) as [string, string, string, string];
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function sample(): { rss: number; heapUsed: number; heapTotal: number; external: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external + m.arrayBuffers };
}

async function baseline(): Promise<void> {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const count = db.prepare('SELECT count(*) FROM customers').pluck().get();
  await pause(1_000);
  const s = sample();
  db.close();
  process.stdout.write(`${JSON.stringify({ customers: count, rssMB: mb(s.rss), heapMB: mb(s.heapUsed) })}\n`);
}

async function bot(): Promise<void> {
  const started = performance.now();
  const clock = benchClock();
  const flows = FlowRegistry.load(flowsDir, silentLog);
  const store = Store.open(dbPath);
  store.checkpointInBackground(silentLog); // as src/app.ts does: a worker thread with its own connection
  const transport = new SimulatorTransport(clock());
  const planner = new CheckinPlanner(store, () => flows.current());
  const afterChange = (rowId: number, now: number, known?: CustomerInTurn): void => void planner.replan(rowId, now, known);
  const pipeline = new Pipeline({ store, transport, flows: () => flows.current(), clock, random: Math.random, log: silentLog, afterChange });
  const sender = new CheckinSender({ store, pipeline, planner, flows: () => flows.current(), clock, random: Math.random, log: silentLog });
  transport.onInbound((message) => pipeline.handleInbound(message));
  flows.watch();
  // As app.ts: plans may be stale after the flows changed while the bot was stopped.
  const replanStart = performance.now();
  const replanned = process.env.BENCH_SKIP_REPLAN ? 0 : await planner.replanAll(clock);
  const replanMs = performance.now() - replanStart;
  const queues = new CheckinQueues({
    connection: REDIS,
    prefix,
    log: silentLog,
    due: (limit) => dueCheckins(store, planner, clock(), limit),
    send: (job) => sender.send(job),
    maxPerWindow: flows.current().checkins.settings.maxPerMinute,
  });
  await queues.start();
  const afterStart = sample();

  // 1,000 conversations: each customer walks the script, one message every ACTIVE / RATE seconds.
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage().rss), 100);
  const interval = 1000 / RATE;
  const begin = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - begin < SECONDS * 1000) {
    const due = Math.floor((performance.now() - begin) / interval);
    for (; sent < due; sent++) {
      const customer = sent % ACTIVE;
      const round = Math.floor(sent / ACTIVE);
      const chatId = chatIdOf(customer);
      const text = SCRIPT[round % SCRIPT.length]!;
      const p = transport.deliver({ id: `MEM${round}C${customer}`, chatId, phone: chatId.slice(0, -15), pushName: null, kind: 'text', text, at: clock() });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await pause(5);
  }
  await Promise.all(inFlight);
  clearInterval(sampler);
  const end = sample();
  const waiting = store.db.prepare('SELECT count(*) FROM conversations WHERE waiting IS NOT NULL').pluck().get() as number;
  await queues.sendQueue.obliterate({ force: true }).catch(() => undefined);
  await queues.sweepQueue.obliterate({ force: true }).catch(() => undefined);
  await queues.close();
  flows.close();
  pipeline.stop();
  const customers = store.db.prepare('SELECT count(*) FROM customers').pluck().get();
  store.close();
  const sorted = samples.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      customers,
      replanned,
      replanMs: Math.round(replanMs),
      startMs: Math.round(performance.now() - started),
      messages: sent,
      waitingConversations: waiting,
      afterStartMB: mb(afterStart.rss),
      peakRssMB: mb(sorted.at(-1) ?? end.rss),
      medianRssMB: mb(sorted[sorted.length >> 1] ?? end.rss),
      endRssMB: mb(end.rss),
      heapUsedMB: mb(end.heapUsed),
      heapTotalMB: mb(end.heapTotal),
      afterStartHeapTotalMB: mb(afterStart.heapTotal),
      externalMB: mb(end.external),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    })}\n`,
  );
}

await (mode === 'baseline' ? baseline() : bot());
process.exit(0);
