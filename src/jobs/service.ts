/**
 * Background jobs while the bot runs (check-ins, escalation reminders): waits for Redis, starts each job group,
 * and keeps going through Redis outages. Replies never depend on Redis: while it is away the bot answers
 * customers, says once that the jobs are paused, and starts the groups again when Redis is back (a Redis that
 * lost its data lost their schedulers and delayed jobs too: each group's `start` re-creates them from SQLite).
 */
import type { ConnectionOptions, Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { describeRedis } from '../checkins/redis-target.js';

/** A set of BullMQ queues and workers that live and die together. `start` runs again after every outage. */
export interface JobGroup {
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Where a group's BullMQ objects connect, and the key prefix of the shop. */
export interface BullTarget {
  connection: ConnectionOptions;
  prefix: string;
}

/** Builds a group; called once, when Redis first answers (a Queue made while Redis is down cannot start). */
export type JobGroupFactory = (target: BullTarget) => JobGroup;

export interface JobServiceDeps<Groups extends Record<string, JobGroupFactory>> {
  redis: RedisOptions;
  prefix: string;
  log: Logger;
  /** The groups by what logs call them, e.g. { 'check-ins': …, reminders: … }. */
  groups: Groups;
}

type Running<Groups extends Record<string, JobGroupFactory>> = { [Name in keyof Groups]: ReturnType<Groups[Name]> };

const RETRY_START_MS = 10_000;

/** How long closing waits for the jobs in hand and for Redis before it forces. */
export const CLOSE_DEADLINE_MS = 5_000;

/** Whether `promise` settled (resolved or rejected) within `ms`; rethrows its rejection. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms).unref()));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface BullObjects {
  workers: Array<Pick<Worker, 'close' | 'closing'>>;
  queues: Array<Pick<Queue, 'close'>>;
  /** What the warning calls them, e.g. "check-ins". */
  what: string;
  log: Logger;
  deadlineMs?: number;
}

/**
 * Closes a group's workers (letting the jobs in hand finish), then its queues; forced after the deadline. A job
 * cut short is retried after the next start, and SQLite keeps it from acting twice.
 */
export async function closeBullObjects({ workers, queues, what, log, deadlineMs = CLOSE_DEADLINE_MS }: BullObjects): Promise<void> {
  const openWorkers = new Set(workers);
  const graceful = (async () => {
    await Promise.all(workers.map((worker) => worker.close().then(() => openWorkers.delete(worker))));
    await Promise.all(queues.map((queue) => queue.close()));
  })();
  if (await settlesWithin(graceful, deadlineMs)) return;
  graceful.catch(() => undefined);
  log.warn({ afterMs: deadlineMs }, `${what} did not close in time (is Redis down?): closing them by force`);
  const forced = [...openWorkers].map((worker) => {
    // BullMQ's Worker.close() begun while Redis is down never resolves, and a second call returns that same promise: forget it.
    worker.closing = undefined;
    return worker.close(true);
  });
  // A queue's close does not wait for Redis (it is memoized too, if it had begun).
  await settlesWithin(Promise.allSettled([...forced, ...queues.map((queue) => queue.close())]), deadlineMs);
}

export class JobService<Groups extends Record<string, JobGroupFactory>> {
  private readonly monitor: Redis;
  /** What the logs say is paused or running: "check-ins and reminders". */
  private readonly what: string;
  private running: Running<Groups> | undefined;
  private paused = false;
  private closed = false;
  /** The start (or restart after an outage) in progress, which `close` waits for. */
  private starting: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: JobServiceDeps<Groups>) {
    this.what = listInWords(Object.keys(deps.groups));
    this.monitor = new Redis({ ...deps.redis, maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 500, 5_000) });
    this.monitor.on('ready', () => this.startGroups());
    this.monitor.on('error', (error) => this.onLost(error));
  }

  /** Redis answers now (for /healthz). */
  reachable(): boolean {
    return this.monitor.status === 'ready';
  }

  /** The named group, once Redis has answered (undefined before). */
  group<Name extends keyof Groups>(name: Name): ReturnType<Groups[Name]> | undefined {
    return this.running?.[name];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    // A start in progress waits for Redis for as long as it is down: the groups' closes force it to end instead.
    await settlesWithin(this.starting, CLOSE_DEADLINE_MS);
    if (this.running) await Promise.all(Object.values<JobGroup>(this.running).map((group) => group.close()));
    this.monitor.disconnect();
  }

  private startGroups(): void {
    this.starting = this.starting.then(() => this.onReady());
  }

  private async onReady(): Promise<void> {
    if (this.closed) return;
    const where = describeRedis(this.deps.redis);
    try {
      await this.warnAboutEviction();
      if (this.closed) return;
      this.running ??= this.createGroups();
      await Promise.all(Object.values<JobGroup>(this.running).map((group) => group.start()));
      if (this.paused) this.deps.log.info({ redis: where }, `Redis is back: ${this.what} resumed`);
      else this.deps.log.info({ redis: where }, `${this.what} running`);
      this.paused = false;
    } catch (error) {
      this.onLost(error as Error);
      // Redis answers but refused (out of memory, read-only): try again, the connection will not say "ready" anew.
      if (!this.closed) this.retry = setTimeout(() => this.startGroups(), RETRY_START_MS).unref();
    }
  }

  private onLost(error: Error): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.deps.log.warn(
      { redis: describeRedis(this.deps.redis), err: error.message },
      `Redis is unreachable: ${this.what} are paused until it is back (retrying in the background); replies to customers go on`,
    );
  }

  private createGroups(): Running<Groups> {
    const target: BullTarget = { connection: this.deps.redis as ConnectionOptions, prefix: this.deps.prefix };
    const entries = Object.entries(this.deps.groups).map(([name, create]) => [name, create(target)]);
    return Object.fromEntries(entries) as Running<Groups>;
  }

  /** BullMQ needs `noeviction`: an evicting Redis may drop queued jobs or locks. */
  private async warnAboutEviction(): Promise<void> {
    const policy = await this.monitor.config('GET', 'maxmemory-policy').then((reply) => (reply as string[])[1], () => undefined);
    if (policy !== undefined && policy !== 'noeviction') {
      this.deps.log.warn({ policy }, `Redis maxmemory-policy should be "noeviction" for ${this.what}: set it in redis.conf (maxmemory-policy noeviction)`);
    }
  }
}

/** "a", "a and b", "a, b and c". */
function listInWords(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
