/** `settings.loyal_when`: customers who match it get the tag "loyal", for rules and flows to use. */
import { evaluate } from '../flow/conditions.js';
import type { Condition, Customer } from '../flow/types.js';

export const LOYAL_TAG = 'loyal';

/** The customer with the loyal tag added if they now match; the same object when nothing changes. */
export function withLoyalty(customer: Customer, loyalWhen: Condition | null): Customer {
  if (!loyalWhen || customer.tags.includes(LOYAL_TAG)) return customer;
  if (!evaluate(loyalWhen, { customer, openNow: true })) return customer;
  return { ...customer, tags: [...customer.tags, LOYAL_TAG] };
}
