/**
 * Sends one check-in: the send worker's job, also run directly by flow tests. Delivered at least once, it
 * sends at most once: it re-checks that the customer is still due by the same rule and cycle, and records the
 * check-in in the same transaction that writes its messages to the outbox, keyed by the job id.
 */
import type { Logger } from 'pino';
import { checkinJobId } from '../core/checkin/due.js';
import { checkIn } from '../core/flow/engine.js';
import type { FlowSet } from '../core/flow/types.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { Store } from '../store/store.js';
import type { CheckinPlanner } from './planner.js';

export interface CheckinJob {
  customerId: number;
  chatId: string;
  rule: string;
  cycle: string;
  /** When the planner had the check-in due: a new plan is a new queue job, even for the same cycle. */
  plannedAt: number;
}

export type CheckinOutcome = 'sent' | 'already sent' | 'no longer due' | 'unknown customer';

export interface CheckinSenderDeps {
  store: Store;
  pipeline: Pipeline;
  planner: CheckinPlanner;
  flows: () => FlowSet;
  clock: () => number;
  random: () => number;
  log: Logger;
}

export class CheckinSender {
  constructor(private readonly deps: CheckinSenderDeps) {}

  /** Rejects only when the store failed, so that the job is retried. */
  async send(job: CheckinJob): Promise<CheckinOutcome> {
    let outcome: CheckinOutcome | undefined;
    const committed = await this.deps.pipeline.exclusive(job.chatId, () => {
      outcome = this.decide(job);
      return outcome === 'unknown customer' ? undefined : job.customerId;
    });
    if (!committed || !outcome) throw new Error(`check-in ${checkinJobId(job.customerId, job.rule, job.cycle)} failed; see the error logged before`);
    this.deps.log.info({ chatId: job.chatId, rule: job.rule, outcome }, 'check-in');
    return outcome;
  }

  private decide(job: CheckinJob): CheckinOutcome {
    const { store, planner, clock, random } = this.deps;
    const customer = store.customers.getById(job.customerId);
    if (!customer || customer.id !== job.chatId) return 'unknown customer';
    const flows = this.deps.flows();
    const now = clock();
    const { verdict } = planner.plan(customer, now);
    // Things change between the sweep and the send: a reply, an opt-out, an escalation, edited rules.
    if (!verdict.due || verdict.rule.name !== job.rule || verdict.cycle !== job.cycle) return 'no longer due';
    if (!store.checkins.record(checkinJobId(job.customerId, job.rule, job.cycle), customer.rowId, job.rule, verdict.rule.flow, now)) return 'already sent';
    store.customers.touchContact(customer.id, now); // a check-in is a contact, even one whose flow says nothing
    const result = checkIn({ flows, customer, conversation: store.conversations.get(customer.rowId), flow: verdict.rule.flow, now, random });
    store.customers.save(customer, result.customer);
    store.conversations.save(customer.rowId, result.conversation, now);
    this.deps.pipeline.act(customer.rowId, customer.id, result.actions, now);
    return 'sent';
  }
}
