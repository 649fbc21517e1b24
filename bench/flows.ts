/**
 * Benchmark 4, flows: 500 flows with 5,000 steps in 20 files.
 *
 * - Validate and compile: `loadFlows(dir)` as start-up and hot reload call it (read, parse (positions only for problems),
 *   validate against the schema, merge and check across files), against the YAML parse alone (the `yaml`
 *   library's parseDocument + toJS of the same files: the floor of a loader that parses every file with positions, as this one did before).
 * - Validate and compile after a one-file change: `loadFlows(dir, cache)` with a per-file cache (what the
 *   registry's loader thread keeps between reloads) after one of the 20 files changed; for information.
 * - Hot reload: the bot handles messages at a steady rate while a flow file is saved; the registry's watcher
 *   reloads (validate and compile in its loader thread, swap on the main thread) and, as in src/app.ts, every
 *   customer is re-planned for the new rules.
 *   The stall is the longest the event loop was blocked (a 1 ms timer's largest lateness) from just before the
 *   reload until a second after it and the re-plan are done; also the longest a message waited (from when it was
 *   due to arrive to its replies handed over). The baseline is the same run without a reload.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { FlowRegistry } from '../src/flows/registry.js';
import { FlowFileCache, loadFlows, readFlowDir } from '../src/flows/load.js';
import type { InboundMessage } from '../src/transport/transport.js';
import { collectGarbage, log, ms, now, pause, RUNS, silentLog, tempDir } from './common.js';
import { generateFlows, STEPS_PER_FLOW, writeFlows } from './flowgen.js';
import { figureLines, median, quantile, type BenchOutcome, type Figure } from './report.js';
import { benchClock, chatIdOf, openShop } from './workload.js';

export const FLOW_COUNT = Number(process.env.BENCH_FLOWS ?? 500);
const FILES = 20;
const TARGET_COMPILE_MS = 300;
const TARGET_STALL_MS = 50;
/** Customers chatting while the flows reload, and their messages per second together. */
const RELOAD_CUSTOMERS = 2_000;
const RELOAD_RATE = 200;

function parseOnly(dir: string): void {
  for (const { text } of readFlowDir(dir)) parseDocument(text, { uniqueKeys: true, merge: true }).toJS({ maxAliasCount: 1000 });
}

function time(work: () => void, times: number): number {
  const each: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = now();
    work();
    each.push(ms(start));
  }
  return median(each);
}

/** What a chatting customer sends to the generated flows: a trigger, a menu answer, an order number. */
function message(n: number, tag: string): InboundMessage {
  const customer = n % RELOAD_CUSTOMERS;
  const round = Math.floor(n / RELOAD_CUSTOMERS);
  const text = round % 3 === 0 ? `kata${(customer + round) % FLOW_COUNT}` : round % 3 === 1 ? 'lanjut' : 'TS-12345';
  const chatId = chatIdOf(customer);
  return { id: `FL${tag}N${n}`, chatId, phone: chatId.slice(0, -15), pushName: null, kind: 'text', text, at: 0 };
}

interface StallRun {
  /** Largest event-loop block in the window around the reload (or the same window without one). */
  stallMs: number;
  /** When that block ended, from the start of the reload. */
  stallAtMs: number;
  /** Largest message latency in that window. */
  maxLatencyMs: number;
  /** How long the reload itself (validate, compile, swap) took, and the re-plan after it. */
  reloadMs?: number;
  replanMs?: number;
  reloaded: boolean;
}

async function reloadRun(dir: string, withReload: boolean, tag: string): Promise<StallRun> {
  const registry = FlowRegistry.load(dir, silentLog);
  const clock = benchClock();
  const shop = openShop(join(tempDir(), `reload-${tag}.db`), { flows: () => registry.current(), log: silentLog, clock });
  let reloadMs: number | undefined;
  let replanMs: number | undefined;
  let reloadAt: number | undefined;
  let replanDone: Promise<void> = Promise.resolve();
  // As src/app.ts: after a reload every customer is re-planned for the changed rules.
  registry.onReload(() => {
    const start = performance.now();
    replanDone = shop.planner.replanAll(clock).then(() => void (replanMs = performance.now() - start));
  });
  const reload = registry.reload.bind(registry);
  registry.reload = async () => {
    const start = performance.now();
    reloadAt = start;
    const taken = await reload();
    reloadMs = performance.now() - start;
    return taken;
  };
  registry.watch();

  // Event-loop blocks: a 1 ms timer; its lateness is how long something held the loop.
  const blocks: Array<[number, number]> = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    blocks.push([t, t - last - 1]);
    last = t;
  }, 1);

  const latencies: Array<[number, number]> = [];
  const pending: Array<Promise<void>> = [];
  const seconds = 4;
  const start = performance.now();
  let sent = 0;
  let saved = false;
  try {
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor(((performance.now() - start) / 1000) * RELOAD_RATE);
      for (; sent < due; sent++) {
        const m = message(sent, tag);
        m.at = clock();
        // Latency from when the message was due to arrive: a blocked loop delays the arrivals too.
        const at = start + (sent * 1000) / RELOAD_RATE;
        pending.push(shop.transport.deliver(m).then(() => void latencies.push([at, performance.now() - at])));
      }
      if (!saved && performance.now() - start > 1_500) {
        saved = true;
        if (withReload) writeFlows(dir, generateFlows(FLOW_COUNT, FILES, ` (v${tag})`)); // a text changed in every flow
        else reloadAt = performance.now() + 150; // where the reload would be: after the watcher's settle time
      }
      await pause(1);
    }
    await Promise.all(pending);
    await registry.settled();
    await replanDone;
  } finally {
    clearInterval(timer);
    await registry.close();
    shop.close();
  }
  if (reloadAt === undefined) throw new Error('the flows were not reloaded');
  // The reload now ends (and the re-plan starts) well after it began: the window runs a second past both.
  const from = reloadAt - 100;
  const to = reloadAt + (reloadMs ?? 0) + (replanMs ?? 0) + 1_000;
  const inWindow = (at: number): boolean => at >= from && at <= to;
  const [stallAt, stall] = blocks.filter(([at]) => inWindow(at)).reduce<[number, number]>((worst, block) => (block[1] > worst[1] ? block : worst), [reloadAt, 0]);
  const maxLatency = Math.max(0, ...latencies.filter(([at]) => inWindow(at)).map(([, l]) => l));
  return { stallMs: stall, stallAtMs: stallAt - reloadAt, maxLatencyMs: maxLatency, reloadMs, replanMs, reloaded: withReload && reloadMs !== undefined };
}

export async function runFlows(): Promise<BenchOutcome> {
  const began = performance.now();
  const dir = join(tempDir(), 'flows');
  writeFlows(dir, generateFlows(FLOW_COUNT, FILES));
  const check = loadFlows(dir);
  const steps = FLOW_COUNT * STEPS_PER_FLOW;
  if (check.flows.flows.size !== FLOW_COUNT) throw new Error(`expected ${FLOW_COUNT} flows, got ${check.flows.flows.size}`);

  // Warm-up, then alternate: the parse floor and the full load, several times each.
  time(() => loadFlows(dir), 3);
  const compile: number[] = [];
  const parse: number[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    parse.push(time(() => parseOnly(dir), 5));
    collectGarbage();
    compile.push(time(() => loadFlows(dir), 5));
    ratios.push(compile.at(-1)! / parse.at(-1)!);
    log(`  compile run ${run + 1}/${RUNS}: validate + compile ${compile.at(-1)!.toFixed(1)} ms, YAML parse alone ${parse.at(-1)!.toFixed(1)} ms`);
  }

  // A reload after one file changed, with the per-file cache the loader thread keeps: the other 19 files are not parsed.
  const cache = new FlowFileCache();
  loadFlows(dir, cache);
  const files = readFlowDir(dir).map(({ file }) => file);
  const oneChanged: number[] = [];
  let edits = 0;
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    const each: number[] = [];
    for (let i = 0; i < 5; i++, edits++) {
      appendFileSync(files[edits % files.length]!, `# edit ${edits}\n`);
      const start = now();
      loadFlows(dir, cache);
      each.push(ms(start));
      if (cache.parsedLastTime !== 1) throw new Error(`expected one file parsed again, got ${cache.parsedLastTime}`);
    }
    oneChanged.push(median(each));
    log(`  one file changed, run ${run + 1}/${RUNS}: validate + compile with the per-file cache ${oneChanged.at(-1)!.toFixed(1)} ms`);
  }

  const stalls: StallRun[] = [];
  const quiet: StallRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    quiet.push(await reloadRun(dir, false, `Q${run}`));
    stalls.push(await reloadRun(dir, true, `R${run}`));
    const s = stalls.at(-1)!;
    log(`  reload run ${run + 1}/${RUNS}: longest block ${s.stallMs.toFixed(1)} ms at +${s.stallAtMs.toFixed(0)} ms (reload ${s.reloadMs?.toFixed(1)} ms, re-plan ${s.replanMs?.toFixed(0)} ms), longest message ${s.maxLatencyMs.toFixed(1)} ms; without a reload ${quiet.at(-1)!.stallMs.toFixed(1)} ms`);
  }
  if (stalls.some((s) => !s.reloaded)) throw new Error('the watcher did not reload the flows');

  const compileMs = median(compile);
  const stall = median(stalls.map((s) => s.stallMs));
  const quietStall = median(quiet.map((s) => s.stallMs));
  const figures: Figure[] = [
    { bench: 'flows', name: `validate + compile ${FLOW_COUNT} flows`, value: compileMs, unit: 'ms', baseline: median(parse), ratio: median(ratios), target: `<= ${TARGET_COMPILE_MS} ms`, pass: compileMs <= TARGET_COMPILE_MS, runs: compile.map((v) => Math.round(v)) },
    { bench: 'flows', name: 'validate + compile, one file changed (cache)', value: median(oneChanged), unit: 'ms', baseline: compileMs, ratio: median(oneChanged) / compileMs, runs: oneChanged.map((v) => Math.round(v)) },
    { bench: 'flows', name: 'hot reload: longest stall', value: stall, unit: 'ms', baseline: quietStall, ratio: stall / Math.max(quietStall, 1), target: `<= ${TARGET_STALL_MS} ms`, pass: stall <= TARGET_STALL_MS, runs: stalls.map((s) => Math.round(s.stallMs)) },
    { bench: 'flows', name: 'hot reload: longest message', value: median(stalls.map((s) => s.maxLatencyMs)), unit: 'ms', baseline: median(quiet.map((s) => s.maxLatencyMs)), ratio: median(stalls.map((s) => s.maxLatencyMs)) / Math.max(median(quiet.map((s) => s.maxLatencyMs)), 1) },
  ];
  figureLines(figures).forEach((line) => log(`  ${line}`));
  return {
    bench: 'flows',
    figures,
    details: {
      flows: FLOW_COUNT,
      steps,
      files: FILES,
      triggers: check.flows.triggers.length,
      reloadMs: stalls.map((s) => Math.round(s.reloadMs ?? NaN)),
      replanAfterReloadMs: stalls.map((s) => Math.round(s.replanMs ?? NaN)),
      reloadLoad: `${RELOAD_CUSTOMERS} customers, ${RELOAD_RATE} messages/s, the file saved 1.5 s in; the watcher settles 150 ms`,
      p50ParseMs: quantile([...parse].sort((a, b) => a - b), 0.5),
    },
    seconds: Math.round((performance.now() - began) / 100) / 10,
  };
}
