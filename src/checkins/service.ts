/**
 * Check-ins while the bot runs: waits for Redis, starts the queues, and keeps going through Redis outages.
 * Replies never depend on Redis: while it is away the bot answers customers, says once that check-ins are
 * paused, and resumes when Redis is back (re-creating the sweep scheduler if Redis lost it). SQLite holds
 * what is due and what was sent, so nothing is lost or doubled across an outage.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import type { Store } from '../store/store.js';
import type { CheckinPlanner } from './planner.js';
import { CheckinQueues, type CheckinQueueOptions } from './queues.js';
import { describeRedis } from './redis-target.js';
import type { CheckinSender } from './sender.js';
import { dueCheckins } from './sweep.js';

export interface CheckinServiceDeps {
  store: Store;
  planner: CheckinPlanner;
  sender: CheckinSender;
  flows: () => FlowSet;
  clock: () => number;
  log: Logger;
  redis: RedisOptions;
  prefix: string;
  /** For tests: shorter windows than a minute. */
  tuning?: Pick<CheckinQueueOptions, 'limitMs' | 'sweepEveryMs' | 'queueAheadMs' | 'retryDelayMs' | 'lockDurationMs'>;
}

const RETRY_START_MS = 10_000;

export class CheckinService {
  private readonly monitor: Redis;
  private queues: CheckinQueues | undefined;
  private paused = false;
  private closed = false;
  /** The start (or restart after an outage) in progress, which `close` waits for. */
  private starting: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: CheckinServiceDeps) {
    this.monitor = new Redis({ ...deps.redis, maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 500, 5_000) });
    this.monitor.on('ready', () => this.startQueues());
    this.monitor.on('error', (error) => this.onLost(error));
  }

  /** Owners changed `max_per_minute`: the limiter follows. */
  async setMaxPerMinute(max: number): Promise<void> {
    await this.queues?.setMaxPerWindow(max);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.starting;
    await this.queues?.close();
    this.monitor.disconnect();
  }

  private startQueues(): void {
    this.starting = this.starting.then(() => this.onReady());
  }

  private async onReady(): Promise<void> {
    if (this.closed) return;
    const where = describeRedis(this.deps.redis);
    try {
      await this.warnAboutEviction();
      if (this.closed) return;
      this.queues ??= this.createQueues();
      await this.queues.start(); // also after an outage: a Redis that lost its data lost the scheduler too
      if (this.paused) this.deps.log.info({ redis: where }, 'Redis is back: check-ins resumed');
      else this.deps.log.info({ redis: where }, 'check-ins running');
      this.paused = false;
    } catch (error) {
      this.onLost(error as Error);
      // Redis answers but refused (out of memory, read-only): try again, the connection will not say "ready" anew.
      if (!this.closed) this.retry = setTimeout(() => this.startQueues(), RETRY_START_MS).unref();
    }
  }

  private onLost(error: Error): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.deps.log.warn(
      { redis: describeRedis(this.deps.redis), err: error.message },
      'Redis is unreachable: check-ins are paused until it is back (retrying in the background); replies to customers go on',
    );
  }

  private createQueues(): CheckinQueues {
    const { store, planner, sender, flows, clock, log, redis, prefix, tuning } = this.deps;
    return new CheckinQueues({
      connection: redis as ConnectionOptions,
      prefix,
      log,
      due: (limit) => dueCheckins(store, planner, clock(), limit),
      send: (job) => sender.send(job),
      maxPerWindow: flows().checkins.settings.maxPerMinute,
      ...tuning,
    });
  }

  /** BullMQ needs `noeviction`: an evicting Redis may drop queued jobs or locks. */
  private async warnAboutEviction(): Promise<void> {
    const policy = await this.monitor.config('GET', 'maxmemory-policy').then((reply) => (reply as string[])[1], () => undefined);
    if (policy !== undefined && policy !== 'noeviction') {
      this.deps.log.warn({ policy }, 'Redis maxmemory-policy should be "noeviction" for check-ins: set it in redis.conf (maxmemory-policy noeviction)');
    }
  }
}
