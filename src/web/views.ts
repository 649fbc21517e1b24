/** What the inbox and conversation pages show, read from the store once and shared by the pages and the JSON API. */
import type { Customer } from '../core/flow/types.js';
import type { Escalation } from '../store/escalations.js';
import type { InboxEntry } from '../store/inbox.js';
import type { StoredMessage } from '../store/messages.js';
import type { Note } from '../store/notes.js';
import type { Store } from '../store/store.js';

const RECENT_CONVERSATIONS = 20;

export interface InboxView {
  /** Open escalations that need an answer: waiting, or the customer wrote last. */
  unread: number;
  /** Waiting for anyone, longest wait first. */
  waiting: InboxEntry[];
  /** Claimed by the viewer. */
  mine: InboxEntry[];
  /** Claimed by colleagues. */
  others: InboxEntry[];
  /** Recent conversations without an open escalation. */
  recent: InboxEntry[];
}

/** Nobody has taken it yet, or the customer wrote last: someone should answer. */
const needsAnswer = (entry: InboxEntry): boolean => entry.status === 'waiting' || entry.lastSender === 'customer';

export function unreadCount(store: Store): number {
  return store.inbox.open().filter(needsAnswer).length;
}

export function inboxView(store: Store, viewer: string): InboxView {
  const open = store.inbox.open();
  const escalated = new Set(open.map((entry) => entry.customerId));
  return {
    unread: open.filter(needsAnswer).length,
    waiting: open.filter((entry) => entry.status === 'waiting'),
    mine: open.filter((entry) => entry.status === 'claimed' && entry.claimedBy === viewer),
    others: open.filter((entry) => entry.status === 'claimed' && entry.claimedBy !== viewer),
    recent: store.inbox.recent(RECENT_CONVERSATIONS).filter((entry) => !escalated.has(entry.customerId)),
  };
}

export interface ConversationView {
  /** The customer as flows see them, with the row id the inbox's links use and the WhatsApp chat id. */
  customer: Omit<Customer, 'id'> & { id: number; chatId: string };
  escalation: Escalation | null;
  /** The bot keeps quiet until then, after someone wrote from the shop's phone. */
  pausedUntil: number | null;
  messages: StoredMessage[];
  notes: Note[];
}

export function conversationView(store: Store, customerId: number): ConversationView | undefined {
  const customer = store.customers.getById(customerId);
  if (!customer) return undefined;
  return {
    customer: {
      id: customer.rowId,
      chatId: customer.id,
      name: customer.name,
      phone: customer.phone,
      tags: customer.tags,
      counters: customer.counters,
      vars: customer.vars,
      optedOut: customer.optedOut,
    },
    escalation: store.escalations.current(customerId) ?? null,
    pausedUntil: store.conversations.get(customerId)?.pausedUntil ?? null,
    messages: store.messages.transcript(customerId),
    notes: store.notes.list(customerId),
  };
}
