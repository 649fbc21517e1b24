/**
 * The sweep: which check-ins to hand to the send queue now. One indexed query finds the customers whose
 * planned check-in is due; each is re-planned (confirming it, or moving a stale plan on) in one transaction.
 */
import type { Store } from '../store/store.js';
import type { CheckinPlanner } from './planner.js';
import type { CheckinJob } from './sender.js';

/** The check-ins due at `now`, longest due first, at most `limit`. */
export function dueCheckins(store: Store, planner: CheckinPlanner, now: number, limit: number): CheckinJob[] {
  return store.transaction(() => {
    const jobs: CheckinJob[] = [];
    for (const customerId of store.customers.checkinsDue(now, limit)) {
      const customer = store.customers.getById(customerId)!;
      const verdict = planner.replanCustomer(customer, now);
      // A customer still due keeps their planned time (at or before now, or the query would not have found them).
      if (verdict.due) jobs.push({ customerId, chatId: customer.id, rule: verdict.rule.name, cycle: verdict.cycle, plannedAt: customer.checkinDueAt! });
    }
    return jobs;
  });
}
