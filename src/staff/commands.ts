/**
 * Staff answering escalations from their own WhatsApp. A staff member replies to (quotes) a notification: plain
 * text goes to that customer (`/ongkir` sends that quick reply, filled for the customer), `#ambil` claims the
 * conversation, `#selesai [closing message]` hands it back to the bot, `#catatan <text>` adds a private note. Anything else gets a short help with the open conversations.
 * Staff numbers never reach the customer flows. Each message is handled once, however often WhatsApp delivers
 * it: its id is recorded in the transaction that acts on it.
 */
import type { Logger } from 'pino';
import { UNANSWERED_KINDS, type FlowSet, type StaffMember } from '../core/flow/types.js';
import { ChatQueue } from '../pipeline/chat-queue.js';
import type { Escalation } from '../store/escalations.js';
import type { Store } from '../store/store.js';
import type { InboundMessage } from '../transport/transport.js';
import type { StaffDesk } from './desk.js';
import type { StaffNotifier } from './notifier.js';
import { quickReplyNames, replyText } from './quick-replies.js';
import { staffTexts } from './staff-texts.js';

export interface StaffCommandsDeps {
  store: Store;
  desk: StaffDesk;
  notifier: StaffNotifier;
  /** The flows in force now: `settings.staff` says who is staff. */
  flows: () => FlowSet;
  clock: () => number;
  log: Logger;
}

/** What a staff message asks for. */
export type StaffRequest =
  | { kind: 'reply'; text: string }
  | { kind: 'claim' }
  | { kind: 'release'; closingMessage: string }
  | { kind: 'note'; text: string }
  | { kind: 'unknown'; word: string };

export function parseStaffRequest(text: string): StaffRequest {
  const command = /^#(\S*)\s*([\s\S]*)$/.exec(text.trim());
  if (!command) return { kind: 'reply', text: text.trim() };
  const [, word = '', rest = ''] = command;
  switch (word.toLowerCase()) {
    case 'ambil':
      return { kind: 'claim' };
    case 'selesai':
      return { kind: 'release', closingMessage: rest.trim() };
    case 'catatan':
      return { kind: 'note', text: rest.trim() };
    default:
      return { kind: 'unknown', word };
  }
}

/** The number of a phone-number chat id (`62812…@s.whatsapp.net`); undefined for a LID. */
function chatNumber(chatId: string): string | undefined {
  const [user, server] = chatId.split('@');
  return server === 's.whatsapp.net' ? user : undefined;
}

export class StaffCommands {
  /** One message per staff chat at a time: a redelivered message waits for the first and finds it handled. */
  private readonly queue = new ChatQueue();

  constructor(private readonly deps: StaffCommandsDeps) {}

  /** Whether the message comes from (or, for the shop's own messages, goes to) a number in `settings.staff`. */
  isStaff(message: InboundMessage): boolean {
    return this.memberOf(message) !== undefined;
  }

  /** Acts on a staff member's message and answers them. Never rejects: failures are logged. */
  async handle(message: InboundMessage): Promise<void> {
    const member = this.memberOf(message);
    if (!member) return;
    await this.queue.run(message.chatId, async () => {
      try {
        await this.handleOnce(member, message);
      } catch (error) {
        this.deps.log.error({ err: error, messageId: message.id }, 'a staff message could not be handled');
      }
    });
  }

  /** Resolves when every staff message handed in so far has been handled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private memberOf(message: InboundMessage): StaffMember | undefined {
    const numbers = [message.phone, chatNumber(message.chatId)].filter(Boolean);
    return this.deps.flows().settings.staff.find((member) => numbers.includes(member.phone));
  }

  private async handleOnce(member: StaffMember, message: InboundMessage): Promise<void> {
    // A reaction or a sticker to a notification asks for nothing.
    if (this.deps.store.staffRequests.handled(message.id) || UNANSWERED_KINDS.has(message.kind)) return;
    const request = parseStaffRequest(message.text);
    const escalation = this.quotedEscalation(message);
    if (!escalation || request.kind === 'unknown' || (request.kind === 'reply' && !request.text)) {
      const help = staffTexts.help(member.name, this.deps.notifier.openConversations(this.deps.clock()));
      return this.answer(message, request.kind === 'unknown' ? staffTexts.unknownCommand(request.word, help) : help, null);
    }
    if (message.kind !== 'text') return this.answer(message, staffTexts.textOnly, escalation.id);
    await this.act(member, message, escalation, request);
  }

  /** The escalation whose notification the message quotes. */
  private quotedEscalation(message: InboundMessage): Escalation | undefined {
    const notification = message.quotedId ? this.deps.store.staffNotifications.byWaId(message.quotedId) : undefined;
    return notification?.escalationId == null ? undefined : this.deps.store.escalations.byId(notification.escalationId);
  }

  private async act(member: StaffMember, message: InboundMessage, escalation: Escalation, request: Exclude<StaffRequest, { kind: 'unknown' }>): Promise<void> {
    const { desk, notifier } = this.deps;
    const customerId = escalation.customerId;
    const customer = notifier.customerLabel(customerId);
    // Notes are about the customer: still welcome after the conversation went back to the bot.
    if (request.kind === 'note') {
      if (!request.text) return this.answer(message, staffTexts.noteHowTo, escalation.id);
      return this.confirm(message, escalation, await desk.note(customerId, member.name, request.text, message.id), staffTexts.noted(customer));
    }
    if (escalation.status === 'released') return this.answer(message, staffTexts.alreadyReleased(customer, escalation.releasedBy), escalation.id);
    switch (request.kind) {
      case 'reply': {
        const filled = this.quickReplyFilled(request.text, customerId);
        if (filled === undefined) return this.answer(message, staffTexts.unknownQuickReply(request.text, quickReplyNames(this.deps.flows().settings)), escalation.id);
        const sent = await desk.reply(customerId, member.name, filled, message.id);
        // Handed back to the bot (say, auto-released) while this reply waited for the chat: it went out all the same.
        const after = this.deps.store.escalations.byId(escalation.id);
        const text = after?.status === 'released' ? staffTexts.repliedAfterRelease(customer, after.releasedBy) : staffTexts.replied(customer);
        return this.confirm(message, escalation, sent, text);
      }
      case 'claim':
        if (escalation.claimedBy === member.name) return this.answer(message, staffTexts.alreadyYours(customer), escalation.id);
        return this.confirm(message, escalation, await desk.claim(customerId, member.name, message.id), staffTexts.claimed(customer, escalation.claimedBy));
      case 'release': {
        const done = await desk.release(customerId, member.name, request.closingMessage || undefined, message.id);
        return this.confirm(message, escalation, done, staffTexts.released(customer, request.closingMessage !== ''));
      }
    }
  }

  /** The reply as written, or the quick reply it names filled for the customer; undefined for an unknown name. */
  private quickReplyFilled(text: string, customerId: number): string | undefined {
    const customer = this.deps.store.customers.getById(customerId);
    return customer ? replyText(text, this.deps.flows().settings, customer) : text;
  }

  /** Answers a message that the desk did not act on, recording it as handled in the same transaction. */
  private async answer(message: InboundMessage, text: string, escalationId: number | null): Promise<void> {
    const { store, notifier, clock } = this.deps;
    store.transaction(() => {
      const now = clock();
      if (store.staffRequests.firstTime(message.id, now)) notifier.tell(message.chatId, text, escalationId, now);
    });
    await notifier.flush();
  }

  /** Confirms what the desk did (it recorded the message as handled), or says it could not be done. */
  private async confirm(message: InboundMessage, escalation: Escalation, done: boolean, text: string): Promise<void> {
    const { store, notifier, clock } = this.deps;
    store.transaction(() => notifier.tell(message.chatId, done ? text : staffTexts.notDone, escalation.id, clock()));
    await notifier.flush();
  }
}
