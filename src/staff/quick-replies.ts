/**
 * Quick replies (`settings.quick_replies`): a staff reply that is exactly `/name` sends the shop's saved answer of
 * that name, its templates filled for this customer, as the flows would fill them. The web reply box and staff
 * replies from WhatsApp both go through here.
 */
import { render } from '../core/flow/template.js';
import type { Customer, Settings } from '../core/flow/types.js';

const COMMAND = /^\/([a-z0-9_-]{1,30})$/;

/** The names of the shop's quick replies, as staff type them ("/ongkir"). */
export function quickReplyNames(settings: Settings): string[] {
  return Object.keys(settings.quickReplies).map((name) => `/${name}`);
}

/** The text to send for `text`: itself, the filled quick reply, or undefined for `/name` with no such answer. */
export function replyText(text: string, settings: Settings, customer: Pick<Customer, 'name' | 'phone' | 'tags' | 'counters' | 'vars'>): string | undefined {
  const name = COMMAND.exec(text)?.[1];
  if (name === undefined) return text;
  const template = Object.hasOwn(settings.quickReplies, name) ? settings.quickReplies[name] : undefined;
  if (template === undefined) return undefined;
  const { vars } = customer;
  return render(template, {
    ...vars,
    vars,
    customer: { name: customer.name, phone: customer.phone, tags: customer.tags, counters: customer.counters },
    settings: settings.raw,
  });
}
