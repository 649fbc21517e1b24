/**
 * Keeps each customer's planned check-in time (customers.checkin_due_at) true, so the sweep finds who is due
 * with one indexed query. Re-plans a customer after anything about them changed (in that change's
 * transaction), and everyone after the rules change.
 */
import { dueness, OPENING_SPREAD_MS, trackMatches, type CheckinSubject, type Dueness } from '../core/checkin/due.js';
import { withLoyalty } from '../core/checkin/loyalty.js';
import type { FlowSet } from '../core/flow/types.js';
import type { CustomerRecord } from '../store/customers.js';
import type { Store } from '../store/store.js';

/** Customers re-planned per transaction when the rules change: small enough not to hold up replies. */
const REPLAN_BATCH = 500;

export class CheckinPlanner {
  constructor(
    private readonly store: Store,
    private readonly flows: () => FlowSet,
    /** How far check-ins waiting for the window to open are spread after it opens (0 in flow tests). */
    private readonly openingSpreadMs = OPENING_SPREAD_MS,
  ) {}

  /** Whether the customer is due now, as the store has them. */
  verdict(customer: CustomerRecord, now: number): Dueness {
    return dueness(this.subject(customer), this.flows(), now, this.openingSpreadMs);
  }

  /** What due-ness looks at, read from the store. */
  subject(customer: CustomerRecord): CheckinSubject {
    return {
      customer,
      wroteAt: customer.wroteAt,
      imported: customer.importedAt !== null,
      lastContactAt: customer.lastContactAt,
      conversation: this.store.conversations.get(customer.rowId),
      sentAt: this.store.checkins.lastSent(customer.rowId),
      matchedAt: this.store.checkins.matches(customer.rowId),
    };
  }

  /**
   * Brings one customer up to date: the loyal tag, when they came to match `after` rules, and when their next
   * check-in falls due. Call inside a transaction. Returns the verdict, or undefined for an unknown customer.
   */
  replan(customerRowId: number, now: number): Dueness | undefined {
    const found = this.store.customers.getById(customerRowId);
    if (!found) return undefined;
    const flows = this.flows();
    const customer = this.applyLoyalty(found, flows);
    const subject = this.subject(customer);
    const matchedAt = trackMatches(subject, flows, now);
    if (!sameRecord(matchedAt, subject.matchedAt)) this.store.checkins.saveMatches(customerRowId, matchedAt);
    const verdict = dueness({ ...subject, matchedAt }, flows, now, this.openingSpreadMs);
    // Due already: keep the planned time, so the longest due stay first in the sweep's queue.
    const dueAt = verdict.due ? Math.min(customer.checkinDueAt ?? now, now) : verdict.nextAt;
    if (dueAt !== customer.checkinDueAt) this.store.customers.planCheckin(customerRowId, dueAt);
    return verdict;
  }

  /** Re-plans every customer, a batch per transaction, yielding between batches so replies keep flowing. */
  async replanAll(clock: () => number): Promise<number> {
    let count = 0;
    for (let after = 0; ; ) {
      const ids = this.store.customers.idsAfter(after, REPLAN_BATCH);
      if (!ids.length) return count;
      this.store.transaction(() => ids.forEach((id) => this.replan(id, clock())));
      count += ids.length;
      after = ids[ids.length - 1]!;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private applyLoyalty(customer: CustomerRecord, flows: FlowSet): CustomerRecord {
    const loyal = withLoyalty(customer, flows.settings.loyalWhen);
    if (loyal === customer) return customer;
    this.store.customers.save(customer, loyal);
    return { ...customer, tags: loyal.tags };
  }
}

function sameRecord(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
