/**
 * What staff do to a conversation, from the web inbox or from their WhatsApp: reply to the customer as a person
 * (text or a picture), claim it, transfer it to a colleague, write private notes, tag the customer, and hand the
 * conversation back to the bot. Each action runs in
 * the chat's turn and in one transaction with its escalation record (who, when). An action given a `requestId`
 * (the staff member's WhatsApp message id) records it in that transaction: delivered again, it changes nothing.
 */
import type { Pipeline } from '../pipeline/pipeline.js';
import type { CustomerRecord } from '../store/customers.js';
import type { Escalation } from '../store/escalations.js';
import type { Store } from '../store/store.js';
import type { InboundMessage } from '../transport/transport.js';

export const DEFAULT_PHONE_PAUSE_MS = 12 * 3_600_000;

/** Who did it, as the transcript and the report show it. */
export const SHOP_PHONE = "shop's phone";
export const AUTO_RELEASE = 'auto-release';

/** An escalation as the auto-release timer saw it: released only if no staff message came since. */
export type QuietEscalation = Pick<Escalation, 'id' | 'customerId' | 'lastStaffAt'>;

/** What became of a transfer: done, or why nothing changed. */
export type TransferOutcome = 'transferred' | 'no-customer' | 'not-open' | 'already-theirs' | 'self';

export interface DeskHooks {
  /** In the transaction of a transfer: the colleague's WhatsApp notification is queued with it. */
  transferred?: (escalationId: number, by: string, to: string, now: number) => void;
}

/** Staff names compare without case, as accounts and settings.staff do. */
export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class StaffDesk {
  constructor(
    private readonly store: Store,
    private readonly pipeline: Pipeline,
    private readonly clock: () => number,
    /** How long the bot keeps quiet after a person writes from the shop's phone. */
    private readonly phonePauseMs: number = DEFAULT_PHONE_PAUSE_MS,
    private readonly hooks: DeskHooks = {},
  ) {}

  /** A staff member's message to the customer; false when there is no such customer. */
  reply(customerId: number, actor: string, text: string, requestId?: string): Promise<boolean> {
    return this.withCustomer(customerId, requestId, (customer, now) => {
      this.pipeline.queueText(customer.rowId, 'staff', text, now, actor);
      this.staffWrote(customer.rowId, actor, now);
    });
  }

  /** A picture (a path under data/, already stored) with an optional caption, sent as `actor`; false when there is no such customer. */
  sendPicture(customerId: number, actor: string, path: string, caption: string): Promise<boolean> {
    return this.withCustomer(customerId, undefined, (customer, now) => {
      this.pipeline.queueText(customer.rowId, 'staff', caption, now, actor, { kind: 'image', path });
      this.staffWrote(customer.rowId, actor, now);
    });
  }

  /**
   * `actor` hands the open escalation to the colleague `to`, who holds it from now on. Refused, changing nothing,
   * for oneself, for the colleague who holds it already, and when no escalation is open.
   */
  async transfer(customerId: number, actor: string, to: string): Promise<TransferOutcome> {
    if (sameName(actor, to)) return 'self';
    let outcome: TransferOutcome = 'not-open';
    const found = await this.withCustomer(customerId, undefined, (customer, now) => {
      const escalation = this.store.escalations.current(customer.rowId);
      if (!escalation) return;
      if (escalation.status === 'claimed' && sameName(escalation.claimedBy ?? '', to)) {
        outcome = 'already-theirs';
        return;
      }
      this.store.escalations.transfer(escalation.id, actor, to, now);
      this.hooks.transferred?.(escalation.id, actor, to, now);
      outcome = 'transferred';
    });
    return found ? outcome : 'no-customer';
  }

  /** `actor` takes the conversation; false when there is no such customer. */
  claim(customerId: number, actor: string, requestId?: string): Promise<boolean> {
    return this.withCustomer(customerId, requestId, (customer, now) => {
      const escalation = this.store.escalations.current(customer.rowId);
      if (escalation) this.store.escalations.claim(escalation.id, actor, now);
    });
  }

  /** A private note on the customer, for colleagues; never sent. */
  note(customerId: number, actor: string, text: string, requestId?: string): Promise<boolean> {
    return this.withCustomer(customerId, requestId, (customer, now) => this.store.notes.add(customer.rowId, actor, text, now));
  }

  /** Adds and removes tags on the customer, as flows would. */
  tag(customerId: number, add: string[], remove: string[]): Promise<boolean> {
    return this.withCustomer(customerId, undefined, (customer) => {
      const tags = [...new Set([...customer.tags.filter((tag) => !remove.includes(tag)), ...add])];
      this.store.customers.save(customer, { ...customer, tags }, 'staff');
    });
  }

  /** Ends the escalation: the bot answers this customer again, starting fresh, after an optional closing message. */
  release(customerId: number, actor: string, closingMessage?: string, requestId?: string): Promise<boolean> {
    return this.withCustomer(customerId, requestId, (customer, now) => {
      this.endEscalation(customer.rowId, actor, now, 'released');
      if (closingMessage) this.pipeline.queueText(customer.rowId, 'staff', closingMessage, now, actor);
    });
  }

  /**
   * Staff went quiet on a claimed conversation: it returns to the bot, with `why` as a note in the transcript.
   * `quiet` is the escalation as the timer saw it; a staff message or claim that got the chat's turn first
   * restarted the silence, so the conversation stays with staff and this returns false.
   */
  async autoRelease(quiet: QuietEscalation, why: string): Promise<boolean> {
    let released = false;
    const done = await this.withCustomer(quiet.customerId, undefined, (customer, now) => {
      const current = this.store.escalations.current(customer.rowId);
      if (current?.id !== quiet.id || current.lastStaffAt !== quiet.lastStaffAt) return;
      this.endEscalation(customer.rowId, AUTO_RELEASE, now, 'auto_released');
      this.store.notes.add(customer.rowId, AUTO_RELEASE, why, now);
      released = true;
    });
    return done && released;
  }

  private endEscalation(customerRowId: number, actor: string, now: number, kind: 'released' | 'auto_released'): void {
    // A customer who never wrote keeps having no conversation: their first message still runs `start`.
    if (this.store.conversations.get(customerRowId)) {
      this.store.conversations.save(customerRowId, { waiting: null, escalated: false, pausedUntil: null, lastActivityAt: now }, now);
    }
    const escalation = this.store.escalations.current(customerRowId);
    if (escalation) this.store.escalations.release(escalation.id, actor, now, kind);
  }

  /**
   * A message from the shop's own account. The bot's own sends come back as echoes and are already in the
   * store; anything else was typed by a person on the shop's phone: recorded as a staff message, the bot pauses
   * in that chat, and an open escalation counts as claimed and answered by the shop's phone.
   */
  async ownMessage(message: InboundMessage): Promise<void> {
    await this.pipeline.exclusive(message.chatId, () => {
      // The echo of a message still marked pending went out before a crash could mark it: mark it now, never resend.
      if (this.store.messages.markEchoed(message.id, message.at)) return undefined;
      if (this.store.messages.senderOf(message.id) !== undefined) return undefined;
      if (message.lid) this.store.identity.adoptLid(message.lid, message.chatId);
      const customer = this.store.customers.contact(message.chatId, message.at, { phone: message.phone });
      this.store.messages.recordSent(message.id, customer.rowId, 'staff', message.kind, message.text, message.at);
      // A person is talking: the bot keeps quiet in this chat for a while, or until staff hand it back.
      const conversation = this.store.conversations.get(customer.rowId);
      const pausedUntil = message.at + this.phonePauseMs;
      this.store.conversations.save(customer.rowId, { waiting: null, escalated: conversation?.escalated ?? false, pausedUntil, lastActivityAt: message.at }, message.at);
      this.staffWrote(customer.rowId, SHOP_PHONE, message.at);
      return customer.rowId;
    });
  }

  private staffWrote(customerRowId: number, actor: string, at: number): void {
    const escalation = this.store.escalations.current(customerRowId);
    if (escalation) this.store.escalations.staffWrote(escalation.id, actor, at);
  }

  /** Runs `work` in the chat's turn, unless `requestId` was handled before; false when there is no such customer. */
  private async withCustomer(customerId: number, requestId: string | undefined, work: (customer: CustomerRecord, now: number) => void): Promise<boolean> {
    const customer = this.store.customers.getById(customerId);
    if (!customer) return false;
    return this.pipeline.exclusive(customer.id, () => {
      const current = this.store.customers.getById(customerId);
      if (!current) return undefined;
      const now = this.clock();
      if (requestId === undefined || this.store.staffRequests.firstTime(requestId, now)) work(current, now);
      return current.rowId;
    });
  }
}
