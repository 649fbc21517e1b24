/**
 * Benchmark 2, the check-in sweep: 100,000 customers in SQLite, 30% of them due.
 *
 * - One sweep (`CheckinQueues.sweep`: the indexed select, each due customer re-planned, `addBulk` to the real
 *   Redis) with a queue-ahead large enough that all 30,000 due check-ins are handed over, against a raw
 *   `Queue.addBulk` of the same 30,000 jobs (same ids, data and options, batches of 1,000). The send queue is
 *   paused, so no worker takes jobs while they are counted. Also the Redis memory each leaves behind.
 * - With the shipped settings (max_per_minute 6 → at most 60 jobs per sweep), sweep cycles with the real send
 *   worker and sender in between, for 10,000 and 100,000 customers: the Redis memory between sweeps must not
 *   depend on the number of customers. The windows are shortened (limit 6 per 10 ms, queue-ahead 100 ms: still
 *   60 jobs per sweep) so that 20 cycles take seconds instead of 20 minutes.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CheckinPlanner } from '../src/checkins/planner.js';
import { CheckinQueues, SEND_QUEUE } from '../src/checkins/queues.js';
import { CheckinSender, type CheckinJob } from '../src/checkins/sender.js';
import { dueCheckins } from '../src/checkins/sweep.js';
import { checkinJobId } from '../src/core/checkin/due.js';
import type { FlowSet } from '../src/core/flow/types.js';
import { FlowRegistry } from '../src/flows/registry.js';
import { Store } from '../src/store/store.js';
import { collectGarbage, connectRedis, log, memoryUnder, ms, now, pause, REDIS, removeUnder, RUNS, silentLog, uniquePrefix } from './common.js';
import { customerDb } from './customers.js';
import { figureLines, median, type BenchOutcome, type Figure } from './report.js';
import { benchClock, MONDAY_10AM_WIB, openShop, SHIPPED_FLOWS } from './workload.js';

export const SWEEP_CUSTOMERS = Number(process.env.BENCH_SWEEP_CUSTOMERS ?? 100_000);
const SMALL_CUSTOMERS = Math.round(SWEEP_CUSTOMERS / 10);
const CYCLES = Number(process.env.BENCH_SWEEP_CYCLES ?? 20);
const TARGET_RATIO = 2;
/** "Independent of the number of customers": ten times the customers, at most 10% more Redis memory. */
const TARGET_GROWTH = 1.1;

/** The options the sweep gives each job (src/checkins/queues.ts), for the raw baseline. */
function rawJob(job: CheckinJob) {
  return {
    name: 'checkin',
    data: job,
    opts: {
      jobId: `${checkinJobId(job.customerId, job.rule, job.cycle)}-${job.plannedAt}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 1_000 },
    },
  };
}

async function rawAddBulk(jobs: CheckinJob[], redis: Redis): Promise<{ ms: number; bytes: number }> {
  const prefix = uniquePrefix('raw');
  const queue = new Queue<CheckinJob>(SEND_QUEUE, { connection: REDIS, prefix });
  try {
    await queue.waitUntilReady();
    collectGarbage();
    const start = now();
    for (let i = 0; i < jobs.length; i += 1_000) await queue.addBulk(jobs.slice(i, i + 1_000).map(rawJob));
    const elapsed = ms(start);
    return { ms: elapsed, bytes: (await memoryUnder(redis, prefix)).bytes };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await removeUnder(redis, prefix);
  }
}

async function oneSweep(dbPath: string, flows: () => FlowSet, redis: Redis): Promise<{ ms: number; bytes: number; jobs: number }> {
  const prefix = uniquePrefix('sweep');
  const store = Store.open(dbPath);
  const planner = new CheckinPlanner(store, flows);
  const queues = new CheckinQueues({
    connection: REDIS,
    prefix,
    log: silentLog,
    due: (limit) => dueCheckins(store, planner, MONDAY_10AM_WIB, limit),
    send: async () => 'sent',
    maxPerWindow: 1_000_000, // hands over every due check-in in one sweep
  });
  try {
    await queues.sendQueue.pause(); // no worker takes jobs while the sweep runs and its memory is counted
    collectGarbage();
    const start = now();
    const jobs = await queues.sweep();
    const elapsed = ms(start);
    return { ms: elapsed, bytes: (await memoryUnder(redis, prefix)).bytes, jobs };
  } finally {
    await queues.sendQueue.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await removeUnder(redis, prefix);
    store.close();
  }
}

/** Sweep cycles with shipped-size batches (60 jobs) and the real sender; Redis bytes under the prefix after each. */
async function cycles(customers: number, flows: () => FlowSet, redis: Redis): Promise<number[]> {
  const prefix = uniquePrefix('cycles');
  const clock = benchClock();
  const shop = openShop(customerDb(customers, flows), { flows, log: silentLog, clock });
  const sender = new CheckinSender({ store: shop.store, pipeline: shop.pipeline, planner: shop.planner, flows, clock, random: Math.random, log: silentLog });
  const maxPerMinute = flows().checkins.settings.maxPerMinute;
  const queues = new CheckinQueues({
    connection: REDIS,
    prefix,
    log: silentLog,
    due: (limit) => dueCheckins(shop.store, shop.planner, clock(), limit),
    send: (job) => sender.send(job),
    maxPerWindow: maxPerMinute,
    limitMs: 10, // shipped: 60,000 (a minute); the ratio limit : queue-ahead, and so the jobs per sweep, is kept
    queueAheadMs: 100, // shipped: 600,000 (ten minutes)
  });
  const bytes: number[] = [];
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await queues.sweep();
      // Between sweeps: the worker sends what was queued.
      for (let waited = 0; (await queues.sendQueue.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')) > 0 && waited < 30_000; waited += 20) await pause(20);
      bytes.push((await memoryUnder(redis, prefix)).bytes);
    }
    return bytes;
  } finally {
    await queues.close();
    await removeUnder(redis, prefix);
    shop.close();
  }
}

function kb(bytes: number): number {
  return Math.round(bytes / 102.4) / 10;
}

export async function runSweep(): Promise<BenchOutcome> {
  const began = performance.now();
  const registry = FlowRegistry.load(SHIPPED_FLOWS, silentLog);
  const flows = (): FlowSet => registry.current();
  const redis = connectRedis();
  try {
    // The jobs the sweep hands over, for the raw baseline (and a warm-up of both paths).
    const probe = Store.open(customerDb(SWEEP_CUSTOMERS, flows));
    const jobs = dueCheckins(probe, new CheckinPlanner(probe, flows), MONDAY_10AM_WIB, 1_000_000);
    probe.close();
    await rawAddBulk(jobs.slice(0, 2_000), redis);
    await oneSweep(customerDb(Math.min(SWEEP_CUSTOMERS, 10_000), flows), flows, redis);

    const sweepMs: number[] = [];
    const rawMs: number[] = [];
    const ratios: number[] = [];
    let sweepBytes = 0;
    let rawBytes = 0;
    let handed = 0;
    for (let run = 0; run < RUNS; run++) {
      const raw = await rawAddBulk(jobs, redis);
      const sweep = await oneSweep(customerDb(SWEEP_CUSTOMERS, flows), flows, redis);
      rawMs.push(raw.ms);
      sweepMs.push(sweep.ms);
      ratios.push(sweep.ms / raw.ms);
      sweepBytes = sweep.bytes;
      rawBytes = raw.bytes;
      handed = sweep.jobs;
      log(`  sweep run ${run + 1}/${RUNS}: sweep ${Math.round(sweep.ms)} ms (${sweep.jobs} jobs), raw addBulk ${Math.round(raw.ms)} ms, ratio ${ratios.at(-1)!.toFixed(2)}`);
    }
    if (handed !== jobs.length) throw new Error(`the sweep handed over ${handed} jobs, expected ${jobs.length}`);

    const small = await cycles(SMALL_CUSTOMERS, flows, redis);
    const large = await cycles(SWEEP_CUSTOMERS, flows, redis);
    log(`  shipped-size sweeps, Redis KB after each of ${CYCLES} cycles: ${SMALL_CUSTOMERS} customers ${small.map(kb).join(' ')}`);
    log(`  ${' '.repeat(57 + String(CYCLES).length)}${SWEEP_CUSTOMERS} customers ${large.map(kb).join(' ')}`);
    const growth = large.at(-1)! / small.at(-1)!;

    const ratio = median(ratios);
    const figures: Figure[] = [
      { bench: 'sweep', name: `sweep of ${jobs.length} due`, value: median(sweepMs), unit: 'ms', baseline: median(rawMs), ratio, target: `ratio <= ${TARGET_RATIO}`, pass: ratio <= TARGET_RATIO, runs: sweepMs.map(Math.round), ratios: ratios.map((r) => Math.round(r * 100) / 100) },
      { bench: 'sweep', name: 'Redis after that sweep', value: sweepBytes / 2 ** 20, unit: 'MB', baseline: rawBytes / 2 ** 20, ratio: sweepBytes / rawBytes, note: 'all 30,000 jobs waiting: the shipped settings never queue this many' },
      { bench: 'sweep', name: `Redis between sweeps, ${SWEEP_CUSTOMERS / 1000}k cust.`, value: large.at(-1)! / 1024, unit: 'KB', baseline: small.at(-1)! / 1024, ratio: growth, target: `ratio <= ${TARGET_GROWTH} (vs ${SMALL_CUSTOMERS / 1000}k)`, pass: growth <= TARGET_GROWTH, runs: large.map(kb) },
    ];
    figureLines(figures).forEach((line) => log(`  ${line}`));
    return {
      bench: 'sweep',
      figures,
      details: {
        customers: SWEEP_CUSTOMERS,
        due: jobs.length,
        bigSweep: 'maxPerWindow 1,000,000 (everything due in one sweep); send queue paused',
        shippedSweep: `max_per_minute ${flows().checkins.settings.maxPerMinute}, ${CYCLES} cycles, 60 jobs per sweep, real send worker and sender between sweeps`,
        redisBetweenSweepsKB: { [SMALL_CUSTOMERS]: small.map(kb), [SWEEP_CUSTOMERS]: large.map(kb) },
        redisBytesPerJob: { sweep: Math.round(sweepBytes / jobs.length), raw: Math.round(rawBytes / jobs.length) },
      },
      seconds: Math.round((performance.now() - began) / 100) / 10,
    };
  } finally {
    redis.disconnect();
  }
}
