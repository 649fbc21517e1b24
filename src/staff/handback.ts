/**
 * What staff do to a conversation that the engine does not decide: reply to the customer as a person, and
 * hand the conversation back to the bot. The staff inbox and WhatsApp commands build on these.
 */
import type { Pipeline } from '../pipeline/pipeline.js';
import type { CustomerRecord } from '../store/customers.js';
import type { Store } from '../store/store.js';
import type { InboundMessage } from '../transport/transport.js';

export const DEFAULT_PHONE_PAUSE_MS = 12 * 3_600_000;

export class Handback {
  constructor(
    private readonly store: Store,
    private readonly pipeline: Pipeline,
    private readonly clock: () => number,
    /** How long the bot keeps quiet after a person writes from the shop's phone. */
    private readonly phonePauseMs: number = DEFAULT_PHONE_PAUSE_MS,
  ) {}

  /** A staff member's message to the customer; false when there is no such customer. */
  reply(chatId: string, text: string): Promise<boolean> {
    return this.withCustomer(chatId, (customer, now) => this.pipeline.queueText(customer.rowId, chatId, 'staff', text, now));
  }

  /**
   * A message from the shop's own account. The bot's own sends come back as echoes and are already in the
   * store; anything else was typed by a person on the shop's phone: recorded as a staff message, and the bot
   * pauses in that chat.
   */
  async ownMessage(message: InboundMessage): Promise<void> {
    await this.pipeline.exclusive(message.chatId, () => {
      // The echo of a message still marked pending went out before a crash could mark it: mark it now, never resend.
      if (this.store.messages.markEchoed(message.id, message.at)) return undefined;
      const known = this.store.messages.senderOf(message.id) !== undefined;
      if (known) return undefined;
      if (message.lid) this.store.identity.adoptLid(message.lid, message.chatId);
      const customer = this.store.customers.contact(message.chatId, message.at, { phone: message.phone });
      this.store.messages.recordSent(message.id, customer.rowId, 'staff', message.kind, message.text, message.at);
      // A person is talking: the bot keeps quiet in this chat for a while, or until staff hand it back.
      const conversation = this.store.conversations.get(customer.rowId);
      const pausedUntil = message.at + this.phonePauseMs;
      this.store.conversations.save(customer.rowId, { waiting: null, escalated: conversation?.escalated ?? false, pausedUntil, lastActivityAt: message.at }, message.at);
      return undefined;
    });
  }

  /** Ends the escalation: the bot answers this customer again, starting fresh. */
  release(chatId: string, closingMessage?: string): Promise<boolean> {
    return this.withCustomer(chatId, (customer, now) => {
      // A customer who never wrote keeps having no conversation: their first message still runs `start`.
      if (this.store.conversations.get(customer.rowId)) {
        this.store.conversations.save(customer.rowId, { waiting: null, escalated: false, pausedUntil: null, lastActivityAt: now }, now);
      }
      this.store.escalations.release(customer.rowId, now);
      if (closingMessage) this.pipeline.queueText(customer.rowId, chatId, 'staff', closingMessage, now);
    });
  }

  /** Runs `work` in the chat's turn; false when there is no such customer. */
  private async withCustomer(chatId: string, work: (customer: CustomerRecord, now: number) => void): Promise<boolean> {
    let found = false;
    await this.pipeline.exclusive(chatId, () => {
      const customer = this.store.customers.get(chatId);
      if (!customer) return undefined;
      found = true;
      work(customer, this.clock());
      return customer.rowId;
    });
    return found;
  }
}
