/**
 * WhatsApp messages from the shop's account to staff phones: new escalations, reminders, alerts to the owner,
 * and answers to staff commands. Each is written to staff_notifications inside the transaction that caused it,
 * and sent afterwards by `flush()`, in order. A passing failure leaves the rest pending for a later flush (a
 * timer, or a reconnect); one WhatsApp refuses for good is marked failed and skipped. Staff answer a
 * notification by quoting it: its message id leads back to the escalation.
 */
import type { Logger } from 'pino';
import type { FlowSet, StaffMember } from '../core/flow/types.js';
import { PermanentSendError } from '../errors.js';
import type { Escalation } from '../store/escalations.js';
import type { StaffNotification } from '../store/staff-notifications.js';
import type { Store } from '../store/store.js';
import type { InboundMessage, Transport } from '../transport/transport.js';
import { sameName } from './desk.js';
import { customerLabel, staffTexts, type EscalationBrief, type OpenConversation } from './staff-texts.js';

export interface StaffNotifierDeps {
  store: Store;
  transport: Transport;
  /** The flows in force now: `settings.staff` says who gets notified. */
  flows: () => FlowSet;
  clock: () => number;
  log: Logger;
  /** The inbox page of a customer, linked from every notification. */
  inboxUrl: (customerRowId: number) => string;
  /** How long after a passing send failure the notifications are tried again (default 15 s; also on every reconnect). */
  retrySendingMs?: number;
}

/** `remind`: every staff member; `alert`: the owners (everyone when nobody is marked owner). */
export type ReminderKind = 'remind' | 'alert';

const RETRY_SENDING_MS = 15_000;

/** The WhatsApp chat of a staff phone number (digits with country code). */
export function staffChatId(phone: string): string {
  return `${phone}@s.whatsapp.net`;
}

function owners(staff: StaffMember[]): StaffMember[] {
  const marked = staff.filter((member) => member.owner);
  return marked.length ? marked : staff;
}

export class StaffNotifier {
  private flushing: Promise<void> | undefined;
  /** Another flush was asked for while one ran: it may have missed rows written since it read the pending ones. */
  private flushAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: StaffNotifierDeps) {}

  /** Tells every staff member about a new escalation. Inside the escalation's transaction; returns how many were queued. */
  escalationOpened(escalationId: number, now: number): number {
    const queued = this.notify(escalationId, (staff) => staff, staffTexts.escalated, now);
    if (queued) this.deps.store.escalations.event(escalationId, 'notified', null, now);
    return queued;
  }

  /**
   * Reminds staff of an unanswered escalation (`remind`: everyone; `alert`: the owners). Inside a transaction;
   * returns how many were queued (0 when it is released or there are no staff). The caller records the
   * 'reminded' or 'alerted' event in that transaction: it decides when a reminder is due (src/staff/sla.ts).
   */
  reminder(escalationId: number, kind: ReminderKind, now: number): number {
    if (kind === 'alert') return this.notify(escalationId, owners, staffTexts.alert, now);
    return this.notify(escalationId, (staff) => staff, staffTexts.reminder, now);
  }

  /**
   * Tells the colleague an escalation was transferred to, when settings.staff has them (same name, any case).
   * Inside the transfer's transaction; returns how many were queued (0 for a colleague without a phone there).
   */
  transferred(escalationId: number, by: string, to: string, now: number): number {
    const colleague = (staff: StaffMember[]): StaffMember[] => staff.filter((member) => sameName(member.name, to));
    return this.notify(escalationId, colleague, (name, brief) => staffTexts.transferred(name, by, brief), now);
  }

  /** Queues `text` about an unreleased escalation to the staff `pick` chooses; returns how many. */
  private notify(escalationId: number, pick: (staff: StaffMember[]) => StaffMember[], text: (staff: string, brief: EscalationBrief) => string, now: number): number {
    const escalation = this.deps.store.escalations.byId(escalationId);
    const recipients = pick(this.deps.flows().settings.staff);
    if (!escalation || escalation.status === 'released' || !recipients.length) return 0;
    const brief = this.fullBrief(escalation, now);
    for (const member of recipients) this.tell(staffChatId(member.phone), text(member.name, brief), escalationId, now);
    return recipients.length;
  }

  /** Queues a message to one staff chat; quoting it answers `escalationId`. Inside a transaction; `flush()` sends it. */
  tell(staffChat: string, text: string, escalationId: number | null, now: number): void {
    this.deps.store.staffNotifications.queue(this.deps.transport.newMessageId(), escalationId, staffChat, text, now);
  }

  /** Sends every pending notification, oldest first; one flush runs at a time. Never rejects. */
  flush(): Promise<void> {
    this.flushAgain = true;
    this.flushing ??= this.drain()
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'notifying staff failed'))
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /**
   * The shop's own message to a staff chat came back from WhatsApp: a notification still pending went out before
   * a crash could mark it, so it is marked now and never sent again (as the customers' outbox does).
   */
  echoed(message: InboundMessage): Promise<void> {
    this.deps.store.staffNotifications.markEchoed(message.id, message.at);
    return Promise.resolve();
  }

  /** Stops retrying (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private async drain(): Promise<void> {
    while (this.flushAgain) {
      this.flushAgain = false;
      if (!(await this.sendPending())) return this.retryLater();
    }
  }

  /** False when a passing failure left notifications for later. */
  private async sendPending(): Promise<boolean> {
    for (const notification of this.deps.store.staffNotifications.pending()) {
      if (!(await this.send(notification))) return false;
    }
    return true;
  }

  /** Sends one notification; false on a passing failure (it stays pending). */
  private async send(notification: StaffNotification): Promise<boolean> {
    const { store, transport, clock, log } = this.deps;
    try {
      await transport.send(notification.staffChat, notification.text, notification.waId);
      store.staffNotifications.markSent(notification.id, clock());
    } catch (error) {
      if (!(error instanceof PermanentSendError)) {
        log.warn({ messageId: notification.waId, err: error }, 'notifying staff failed; it stays pending');
        return false;
      }
      log.error({ messageId: notification.waId, chatId: notification.staffChat }, `staff notification not sent and not retried: ${error.message}`);
      store.staffNotifications.markFailed(notification.id, error.message);
    }
    return true;
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, this.deps.retrySendingMs ?? RETRY_SENDING_MS).unref();
  }

  /** The conversations not yet handed back to the bot, waiting ones first: staff's help lists them. */
  openConversations(now: number): OpenConversation[] {
    const open = this.deps.store.escalations.unreleased();
    const waitingFirst = [...open.filter((e) => e.status === 'waiting'), ...open.filter((e) => e.status !== 'waiting')];
    return waitingFirst.map((escalation) => ({ ...this.brief(escalation, now), claimedBy: escalation.claimedBy }));
  }

  /** "Sari (+6281234567890)": the customer as staff texts name them. */
  customerLabel(customerRowId: number): string {
    const customer = this.deps.store.customers.getById(customerRowId);
    return customer ? customerLabel(customer) : `#${customerRowId}`;
  }

  /** The escalation as staff need it: who, why, since when, where to answer. */
  private brief(escalation: Escalation, now: number): Omit<EscalationBrief, 'lastMessage'> {
    return {
      customer: this.customerLabel(escalation.customerId),
      reason: escalation.reason,
      link: this.deps.inboxUrl(escalation.customerId),
      waitedMs: now - escalation.createdAt,
    };
  }

  /** The brief with the customer's last message, for notifications. */
  private fullBrief(escalation: Escalation, now: number): EscalationBrief {
    const lastMessage = this.deps.store.messages.transcript(escalation.customerId).findLast((message) => message.sender === 'customer') ?? null;
    return { ...this.brief(escalation, now), lastMessage };
  }
}
