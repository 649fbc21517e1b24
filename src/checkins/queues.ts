/**
 * Every BullMQ object of the check-ins: one Job Scheduler that runs the sweep every minute, and the send
 * queue whose worker sends one check-in per job under the shop-wide `max_per_minute` limiter. Jobs carry
 * idempotent ids; SQLite, not Redis, says what was sent, so a job delivered twice sends once.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import { checkinJobId } from '../core/checkin/due.js';
import { closeBullObjects, type JobGroup } from '../jobs/service.js';
import type { CheckinJob, CheckinOutcome } from './sender.js';

export const SWEEP_QUEUE = 'checkin-sweep';
export const SEND_QUEUE = 'checkin-send';
const SWEEP_SCHEDULER = 'checkin-sweep-every-minute';

/** Finished jobs kept for the dashboard: bounded, so Redis does not grow with the customers. */
const KEEP_FINISHED = { count: 1_000 };

export interface CheckinQueueOptions {
  connection: ConnectionOptions;
  /** Redis key prefix: one per shop (and one per test). */
  prefix: string;
  log: Logger;
  /** Finds the check-ins due now, at most `limit` (see sweep.ts). */
  due: (limit: number) => CheckinJob[];
  send: (job: CheckinJob) => Promise<CheckinOutcome>;
  /** Check-ins started per `limitMs` (default a minute), all customers together. */
  maxPerWindow: number;
  limitMs?: number;
  sweepEveryMs?: number;
  /** The sweep queues at most what the limiter lets out in this time, so Redis holds little. Default 10 minutes. */
  queueAheadMs?: number;
  /** First retry of a failed send after this; doubling (default 30 s). */
  retryDelayMs?: number;
  /** How long a worker's claim on a job lasts: a worker killed mid-job has its job retried after this (default 30 s). */
  lockDurationMs?: number;
  /** How long `close` waits for the jobs in hand and for Redis before it forces (default CLOSE_DEADLINE_MS). */
  closeDeadlineMs?: number;
}

/**
 * The queue's id for a job: the check-in's id (customer, rule, cycle) and when it was planned. A sweep that finds
 * the same plan again adds nothing; a new plan (say, after a send outside the window was skipped) is a new job,
 * not one BullMQ would drop for sharing an id with a finished job it keeps. SQLite's check-in log, keyed by the
 * check-in's id, is what keeps it from being sent twice.
 */
function queueJobId(job: CheckinJob): string {
  return `${checkinJobId(job.customerId, job.rule, job.cycle)}-${job.plannedAt}`;
}

export class CheckinQueues implements JobGroup {
  readonly sweepQueue: Queue;
  readonly sendQueue: Queue<CheckinJob>;
  private readonly sweepWorker: Worker;
  private sendWorker: Worker<CheckinJob, CheckinOutcome>;
  private maxPerWindow: number;

  constructor(private readonly options: CheckinQueueOptions) {
    const { connection, prefix } = options;
    this.maxPerWindow = options.maxPerWindow;
    this.sweepQueue = this.listen(new Queue(SWEEP_QUEUE, { connection, prefix }));
    this.sendQueue = this.listen(new Queue<CheckinJob>(SEND_QUEUE, { connection, prefix }));
    this.sweepWorker = this.listen(new Worker(SWEEP_QUEUE, () => this.sweep(), { connection, prefix }));
    this.sendWorker = this.createSendWorker();
  }

  /** Starts the every-minute sweep (upserting: restarts keep one scheduler) and sweeps once now. */
  async start(): Promise<void> {
    const every = this.options.sweepEveryMs ?? 60_000;
    await this.sweepQueue.upsertJobScheduler(SWEEP_SCHEDULER, { every }, { name: 'sweep', opts: { removeOnComplete: 10, removeOnFail: 10 } });
    await this.sweep();
  }

  /** Queues the check-ins due now; returns how many it handed over (ids already queued are ignored by BullMQ). */
  async sweep(): Promise<number> {
    const limit = Math.ceil((this.maxPerWindow * (this.options.queueAheadMs ?? 600_000)) / (this.options.limitMs ?? 60_000));
    const jobs = this.options.due(limit);
    const backoff = { type: 'exponential', delay: this.options.retryDelayMs ?? 30_000 };
    for (let i = 0; i < jobs.length; i += 1_000) {
      await this.sendQueue.addBulk(
        jobs.slice(i, i + 1_000).map((job) => ({
          name: 'checkin',
          data: job,
          opts: { jobId: queueJobId(job), attempts: 8, backoff, removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FINISHED },
        })),
      );
    }
    if (jobs.length) this.options.log.info({ due: jobs.length }, 'check-ins queued');
    return jobs.length;
  }

  /** Owners changed `max_per_minute`: the send worker restarts with the new limit. */
  async setMaxPerWindow(max: number): Promise<void> {
    if (max === this.maxPerWindow) return;
    this.maxPerWindow = max;
    const old = this.sendWorker;
    this.sendWorker = this.createSendWorker();
    await this.closeAll([old], []);
  }

  async close(): Promise<void> {
    await this.closeAll([this.sweepWorker, this.sendWorker], [this.sweepQueue, this.sendQueue]);
  }

  private closeAll(workers: Worker[], queues: Queue[]): Promise<void> {
    const { log, closeDeadlineMs: deadlineMs } = this.options;
    return closeBullObjects({ workers, queues, what: 'check-in queues', log, deadlineMs });
  }

  private createSendWorker(): Worker<CheckinJob, CheckinOutcome> {
    const { connection, prefix, send, limitMs, lockDurationMs } = this.options;
    const worker = new Worker<CheckinJob, CheckinOutcome>(SEND_QUEUE, (job) => send(job.data), {
      connection,
      prefix,
      limiter: { max: this.maxPerWindow, duration: limitMs ?? 60_000 },
      ...(lockDurationMs && { lockDuration: lockDurationMs, stalledInterval: lockDurationMs }),
    });
    worker.on('failed', (job, error) => this.options.log.warn({ jobId: job?.id, err: error, attempt: job?.attemptsMade }, 'a check-in failed; BullMQ retries it'));
    return this.listen(worker);
  }

  /** BullMQ objects emit 'error' while Redis is away; unlistened, that would end the process. */
  private listen<T extends Queue | Worker>(emitter: T): T {
    (emitter as Queue).on('error', (error: Error) => this.options.log.debug({ err: error }, 'check-in queue error'));
    return emitter;
  }
}
