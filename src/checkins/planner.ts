/**
 * Keeps each customer's planned check-in time (customers.checkin_due_at) true, so the sweep finds who is due
 * with one indexed query. Re-plans a customer after anything about them changed (in that change's
 * transaction), and everyone after the rules change.
 */
import { dueness, OPENING_SPREAD_MS, trackMatches, type CheckinSubject, type Dueness } from '../core/checkin/due.js';
import { withLoyalty } from '../core/checkin/loyalty.js';
import type { Conversation, FlowSet } from '../core/flow/types.js';
import type { CustomerInTurn, CustomerRecord } from '../store/customers.js';
import type { Store } from '../store/store.js';

/** Customers re-planned per transaction when the rules change: small enough not to hold up replies. */
const REPLAN_BATCH = 500;

export interface CheckinPlan {
  customer: CustomerRecord;
  subject: CheckinSubject;
  /** The `after` matches as stored, to tell whether `subject.matchedAt` changed them. */
  storedMatches: Record<string, number>;
  verdict: Dueness;
}

export class CheckinPlanner {
  constructor(
    private readonly store: Store,
    private readonly flows: () => FlowSet,
    /** How far check-ins waiting for the window to open are spread after it opens (0 in flow tests). */
    private readonly openingSpreadMs = OPENING_SPREAD_MS,
  ) {}

  /** What due-ness looks at, read from the store (the conversation only when not given). */
  subject(customer: CustomerRecord, conversation?: Conversation | null): CheckinSubject {
    return {
      customer,
      wroteAt: customer.wroteAt,
      imported: customer.importedAt !== null,
      lastContactAt: customer.lastContactAt,
      conversation: conversation === undefined ? this.store.conversations.get(customer.rowId) : conversation,
      ...this.store.checkins.history(customer.rowId),
    };
  }

  /**
   * The customer as the rules see them now, without writing anything: with the loyal tag if they earned it,
   * the `after` rules they match, and whether (or when) they are due.
   */
  plan(record: CustomerRecord, now: number, conversation?: Conversation | null): CheckinPlan {
    const flows = this.flows();
    const customer = { ...record, ...withLoyalty(record, flows.settings.loyalWhen) };
    const stored = this.subject(customer, conversation);
    const subject = { ...stored, matchedAt: trackMatches(stored, flows, now) };
    return { customer, subject, storedMatches: stored.matchedAt, verdict: dueness(subject, flows, now, this.openingSpreadMs) };
  }

  /**
   * Brings one customer up to date in the store: the loyal tag, when they came to match `after` rules, and
   * when their next check-in falls due. Call inside a transaction. Undefined for an unknown customer.
   * `known`: the customer and conversation as the change in this transaction left them, so they are not read again.
   */
  replan(customerRowId: number, now: number, known?: CustomerInTurn): Dueness | undefined {
    if (known) return this.replanCustomer(known.customer, now, known.conversation);
    const found = this.store.customers.getById(customerRowId);
    return found && this.replanCustomer(found, now);
  }

  /** `replan` for a customer already read (and their conversation, when known). */
  replanCustomer(found: CustomerRecord, now: number, conversation?: Conversation | null): Dueness {
    const { customer, subject, storedMatches, verdict } = this.plan(found, now, conversation);
    if (customer.tags.length !== found.tags.length) this.store.customers.save(found, customer); // earned the loyal tag
    if (!sameRecord(subject.matchedAt, storedMatches)) this.store.checkins.saveMatches(found.rowId, subject.matchedAt);
    // Due already: keep the planned time, so the longest due stay first in the sweep's queue.
    const dueAt = verdict.due ? Math.min(found.checkinDueAt ?? now, now) : verdict.nextAt;
    if (dueAt !== found.checkinDueAt) this.store.customers.planCheckin(found.rowId, dueAt);
    return verdict;
  }

  /** Re-plans every customer, a batch per transaction, yielding between batches so replies keep flowing. */
  async replanAll(clock: () => number): Promise<number> {
    let count = 0;
    for (const ids of this.store.customers.idBatches(REPLAN_BATCH)) {
      this.store.transaction(() => ids.forEach((id) => this.replan(id, clock())));
      count += ids.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return count;
  }

}

function sameRecord(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
