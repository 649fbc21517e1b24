/**
 * What the check-ins will do in the coming days if nothing changes: who is checked in when, by which rule, with
 * which words, and why everyone else is skipped. Read-only: it plans on copies and writes nothing.
 */
import { checkIn } from '../core/flow/engine.js';
import type { FlowSet } from '../core/flow/types.js';
import type { Store } from '../store/store.js';
import { CheckinPlanner } from './planner.js';

export interface PlannedCheckin {
  at: number;
  chatId: string;
  name: string | null;
  phone: string | null;
  rule: string;
  /** What the check-in flow would send now to this customer. */
  texts: string[];
}

export interface CheckinPreview {
  planned: PlannedCheckin[];
  /** Customers not checked in within the horizon, by reason, with some of their names. */
  skipped: Map<string, { count: number; examples: string[] }>;
}

const EXAMPLES_PER_REASON = 5;
const BATCH = 1_000;

export function previewCheckins(store: Store, flows: FlowSet, now: number, horizonMs: number): CheckinPreview {
  const planner = new CheckinPlanner(store, () => flows);
  const preview: CheckinPreview = { planned: [], skipped: new Map() };
  for (const ids of store.customers.idBatches(BATCH)) {
    for (const id of ids) {
      const { customer, subject, verdict } = planner.plan(store.customers.getById(id)!, now);
      const at = verdict.due ? now : verdict.nextAt;
      const rule = verdict.rule;
      if (at !== null && rule && at <= now + horizonMs) {
        const result = checkIn({ flows, customer, conversation: subject.conversation, flow: rule.flow, now: at, random: () => 0 });
        const texts = result.actions.flatMap((a) => (a.type === 'send' ? [a.text] : []));
        preview.planned.push({ at, chatId: customer.id, name: customer.name, phone: customer.phone, rule: rule.name, texts });
      } else {
        const reason = verdict.due || at !== null ? 'not due within the period' : verdict.reason;
        const entry = preview.skipped.get(reason) ?? { count: 0, examples: [] };
        entry.count++;
        if (entry.examples.length < EXAMPLES_PER_REASON) entry.examples.push(customer.name ?? customer.phone ?? customer.id);
        preview.skipped.set(reason, entry);
      }
    }
  }
  preview.planned.sort((a, b) => a.at - b.at);
  return preview;
}
