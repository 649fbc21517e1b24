/** What the inbox and conversation pages show, read from the store once and shared by the pages and the JSON API. */
import type { Customer, FlowSet } from '../core/flow/types.js';
import { ratingFlows, readRating } from '../staff/report.js';
import type { CheckinSent, PastEscalation } from '../store/customer-history.js';
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
  /** Claimed by the viewer; `transferredBy` while a colleague's transfer to them is not yet answered. */
  mine: Array<InboxEntry & { transferredBy: string | null }>;
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
    mine: open.filter((entry) => entry.status === 'claimed' && entry.claimedBy === viewer).map((entry) => ({ ...entry, transferredBy: store.escalations.freshTransfer(entry.escalationId!)?.by ?? null })),
    others: open.filter((entry) => entry.status === 'claimed' && entry.claimedBy !== viewer),
    recent: store.inbox.recent(RECENT_CONVERSATIONS).filter((entry) => !escalated.has(entry.customerId)),
  };
}

/** A check-in sent to the customer, with the 1–5 rating its answer gave when its flow asks for one. */
export type CheckinSeen = CheckinSent & { rating: number | null };

/** What the customer panel shows beside the chat, besides the customer record. */
export interface CustomerHistory {
  /** Messages the customer wrote. */
  inbound: number;
  checkins: CheckinSeen[];
  /** Escalations handed back to the bot, newest first. */
  escalations: PastEscalation[];
}

export interface ConversationView {
  /** The customer as flows see them, with the row id the inbox's links use and the WhatsApp chat id. */
  customer: Omit<Customer, 'id'> & { id: number; chatId: string; firstContactAt: number | null; lastContactAt: number | null };
  escalation: Escalation | null;
  /** The bot keeps quiet until then, after someone wrote from the shop's phone. */
  pausedUntil: number | null;
  messages: StoredMessage[];
  notes: Note[];
  history: CustomerHistory;
}

function historyOf(store: Store, customerId: number, flows: FlowSet): CustomerHistory {
  const rated = new Set(ratingFlows(flows));
  return {
    inbound: store.customerHistory.inboundCount(customerId),
    checkins: store.customerHistory.checkins(customerId).map((checkin) => ({ ...checkin, rating: (checkin.answer !== null && rated.has(checkin.flow) && readRating(checkin.answer)) || null })),
    escalations: store.customerHistory.pastEscalations(customerId),
  };
}

export function conversationView(store: Store, customerId: number, flows: FlowSet): ConversationView | undefined {
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
      firstContactAt: customer.firstContactAt,
      lastContactAt: customer.lastContactAt,
    },
    escalation: store.escalations.current(customerId) ?? null,
    pausedUntil: store.conversations.get(customerId)?.pausedUntil ?? null,
    messages: store.messages.transcript(customerId),
    notes: store.notes.list(customerId),
    history: historyOf(store, customerId, flows),
  };
}
