/**
 * Escalation timers on BullMQ: an escalation nobody answered is sent to staff again after `remind_after` and to
 * the owner after `alert_after` (both counted in opening hours), and a claimed conversation whose staff went quiet
 * for `release_after` returns to the bot. One delayed job per escalation and timer, under a fixed id.
 *
 * SQLite is the truth; a job only says "look at this escalation now". When it fires it asks SQLite again: a timer
 * no longer needed (answered, released, reminder already recorded) does nothing, so a job delivered twice acts
 * once; a timer whose moment moved later (staff wrote again) waits on until then. `reconcile` rebuilds the jobs
 * from SQLite after a restart or after Redis lost its data.
 */
import { DelayedError, Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { writeDuration } from '../core/duration.js';
import type { FlowSet } from '../core/flow/types.js';
import { addOpenTime } from '../core/staff/open-time.js';
import { closeBullObjects, type JobGroup } from '../jobs/service.js';
import type { Escalation } from '../store/escalations.js';
import type { Store } from '../store/store.js';
import type { QuietEscalation } from './desk.js';

export const TIMERS_QUEUE = 'escalation-timers';

export type ReminderKind = 'remind' | 'alert';
export type TimerKind = ReminderKind | 'release';
const TIMER_KINDS: TimerKind[] = ['remind', 'alert', 'release'];

/** A job's data: which escalation to look at, for which timer. */
export interface EscalationTimer {
  escalationId: number;
  kind: TimerKind;
}

/** What the escalation's history records once a reminder went out: a job delivered twice then reminds once. */
const REMINDER_EVENT = { remind: 'reminded', alert: 'alerted' } as const;

export type TimerOutcome = 'reminded' | 'alerted' | 'released' | 'not needed';

/** The timer's moment moved later: the job waits this much longer. */
interface NotYet {
  waitMs: number;
}

export interface EscalationActions {
  /** Queues the reminder to staff ('remind') or the owner ('alert'); called inside the transaction that records it. */
  queueReminder(escalationId: number, kind: ReminderKind, now: number): void;
  /** Sends what `queueReminder` queued; called after the commit. */
  flush(): Promise<void>;
  /** Returns the conversation to the bot with `why` as a note, unless staff wrote since (StaffDesk.autoRelease). */
  autoRelease(quiet: QuietEscalation, why: string): Promise<boolean>;
}

export interface EscalationTimerDeps {
  connection: ConnectionOptions;
  /** Redis key prefix: one per shop (and one per test). */
  prefix: string;
  log: Logger;
  store: Store;
  flows: () => FlowSet;
  /** Delays are computed from this clock, so tests move a fake clock instead of waiting minutes. */
  clock: () => number;
  actions: EscalationActions;
}

/**
 * Removed once finished, so the fixed id can be added again (BullMQ ignores an id it still keeps). A job that
 * failed for good is logged; the next change to the customer, or the next start, adds it again.
 */
const JOB_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: true };

export function timerJobId(escalationId: number, kind: TimerKind): string {
  return `escalation-${escalationId}-${kind}`;
}

export class EscalationTimers implements JobGroup {
  readonly queue: Queue<EscalationTimer>;
  private readonly worker: Worker<EscalationTimer, TimerOutcome>;

  constructor(private readonly deps: EscalationTimerDeps) {
    const { connection, prefix } = deps;
    this.queue = this.listen(new Queue<EscalationTimer>(TIMERS_QUEUE, { connection, prefix }));
    this.worker = this.listen(new Worker<EscalationTimer, TimerOutcome>(TIMERS_QUEUE, (job, token) => this.process(job, token), { connection, prefix, concurrency: 4 }));
    this.worker.on('failed', (job, error) => deps.log.warn({ jobId: job?.id, err: error, attempt: job?.attemptsMade }, 'an escalation timer failed'));
  }

  /** Runs at start and again when Redis is back after an outage (it may have lost every job). */
  async start(): Promise<void> {
    await this.reconcile();
  }

  async close(): Promise<void> {
    await closeBullObjects({ workers: [this.worker], queues: [this.queue], what: 'escalation timers', log: this.deps.log });
  }

  /**
   * After every committed change to the customer: adds the timers their open escalation needs now and removes
   * those it no longer needs (answered: no reminders). Never throws: a timer missed here is rebuilt on start.
   */
  async schedule(customerRowId: number): Promise<void> {
    const escalation = this.deps.store.escalations.current(customerRowId);
    if (!escalation) return;
    await this.sync([escalation]).catch((error: unknown) => this.deps.log.warn({ err: error, customerRowId }, 'escalation timers not updated; they are rebuilt on the next start'));
  }

  /** The timers of every unreleased escalation, rebuilt from SQLite; ids already queued are left as they are. */
  async reconcile(): Promise<void> {
    await this.sync(this.deps.store.escalations.unreleased());
  }

  /** Adds the jobs these escalations need (delayed until due), removes the ones they no longer need. */
  private async sync(escalations: Escalation[]): Promise<void> {
    const now = this.deps.clock();
    const needed: Parameters<Queue<EscalationTimer>['addBulk']>[0] = [];
    const unneeded: string[] = [];
    for (const escalation of escalations) {
      for (const kind of TIMER_KINDS) {
        const due = this.dueAt(escalation, kind);
        const jobId = timerJobId(escalation.id, kind);
        if (due === null) unneeded.push(jobId);
        else needed.push({ name: kind, data: { escalationId: escalation.id, kind }, opts: { ...JOB_OPTIONS, jobId, delay: Math.max(0, due - now) } });
      }
    }
    if (needed.length) await this.queue.addBulk(needed);
    await Promise.all(unneeded.map((jobId) => this.queue.remove(jobId))); // a job running right now stays: it checks SQLite itself
  }

  /**
   * When the timer should act on the escalation, or null when it no longer should. Reminders count opening time
   * from when it opened; the release counts wall-clock time from the last staff message or claim.
   */
  private dueAt(escalation: Escalation | undefined, kind: TimerKind): number | null {
    if (!escalation || escalation.status === 'released') return null;
    const { settings } = this.deps.flows();
    if (kind === 'release') {
      const quiet = escalation.status === 'claimed' ? escalation.lastStaffAt : null;
      return quiet === null ? null : quiet + settings.escalation.releaseAfterMs;
    }
    if (escalation.firstResponseAt !== null || this.deps.store.escalations.hasEvent(escalation.id, REMINDER_EVENT[kind])) return null;
    const wait = kind === 'remind' ? settings.escalation.remindAfterMs : settings.escalation.alertAfterMs;
    const due = addOpenTime(settings.hours, settings.timezone, escalation.createdAt, wait);
    return Number.isFinite(due) ? due : null; // a shop that never opens again is never late
  }

  /** BullMQ's processor: a timer that is not due yet goes back to the delayed set (not counted as an attempt). */
  private async process(job: Job<EscalationTimer>, token?: string): Promise<TimerOutcome> {
    const outcome = await this.fire(job.data);
    if (typeof outcome === 'string') return outcome;
    await job.moveToDelayed(Date.now() + outcome.waitMs, token);
    throw new DelayedError();
  }

  private async fire({ escalationId, kind }: EscalationTimer): Promise<TimerOutcome | NotYet> {
    const now = this.deps.clock();
    const escalation = this.deps.store.escalations.byId(escalationId);
    const due = this.dueAt(escalation, kind);
    if (!escalation || due === null) return 'not needed';
    if (due > now) return { waitMs: due - now };
    if (kind === 'release') return this.release(escalation);
    // No await since the check above: nothing can have answered the escalation in between.
    this.deps.store.transaction(() => {
      this.deps.store.escalations.event(escalationId, REMINDER_EVENT[kind], null, now);
      this.deps.actions.queueReminder(escalationId, kind, now);
    });
    await this.deps.actions.flush();
    return REMINDER_EVENT[kind];
  }

  /** A staff message that reached the chat just before the release pushed it back: the job waits on. */
  private async release(escalation: Escalation): Promise<TimerOutcome | NotYet> {
    const quietFor = writeDuration(this.deps.flows().settings.escalation.releaseAfterMs);
    if (await this.deps.actions.autoRelease(escalation, `Returned to the bot: no staff message for ${quietFor}`)) return 'released';
    const due = this.dueAt(this.deps.store.escalations.byId(escalation.id), 'release');
    return due === null ? 'not needed' : { waitMs: Math.max(0, due - this.deps.clock()) };
  }

  /** BullMQ objects emit 'error' while Redis is away; unlistened, that would end the process. */
  private listen<T extends Queue | Worker>(emitter: T): T {
    (emitter as Queue).on('error', (error: Error) => this.deps.log.debug({ err: error }, 'escalation timer queue error'));
    return emitter;
  }
}
