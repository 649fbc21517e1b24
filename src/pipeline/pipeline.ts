/**
 * The inbound path: every customer message is deduplicated and stored, run through the flow engine, and its
 * replies written to the outbox in one SQLite transaction (grouped with other chats' in the same turn of the event
 * loop); only once that is committed are they sent. One chat at a time, in order.
 */
import type { Logger } from 'pino';
import { step } from '../core/flow/engine.js';
import { UNANSWERED_KINDS, type Action, type FlowSet, type OutgoingMedia, type StepResult } from '../core/flow/types.js';
import { withSentContact, type Arrival, type CustomerInTurn } from '../store/customers.js';
import { GroupCommit } from '../store/group-commit.js';
import type { Store } from '../store/store.js';
import type { InboundMessage, Transport } from '../transport/transport.js';
import { ChatQueue } from './chat-queue.js';
import { Outbox, type Outgoing } from './outbox.js';

export interface PipelineDeps {
  store: Store;
  transport: Transport;
  /** The flows in force now (hot reload swaps them). */
  flows: () => FlowSet;
  clock: () => number;
  random: () => number;
  log: Logger;
  /**
   * Called in the transaction of every change to a customer (the check-in planner re-plans them); with `known`,
   * the customer and conversation as a customer's message left them, so they need not be read again.
   */
  afterChange?: (customerRowId: number, now: number, known?: CustomerInTurn) => void;
  /** Called in the transaction that opens an escalation (staff notifications are written with it). */
  onEscalation?: (escalationId: number, customerRowId: number, now: number) => void;
  /** Called once a change to a customer is committed (live inbox updates, reminders, notifications). */
  afterCommit?: (customerRowId: number) => void;
  /** How long after a passing send failure the outbox is tried again (default 15 s; also on every reconnect). */
  retrySendingMs?: number;
  /** Sees what the engine made of each message (`setia chat`'s /why, flow tests' `flow:`). */
  onStep?: (customerRowId: number, result: StepResult) => void;
  /** The shop's folder, which pictures' paths are relative to (default: the working directory). */
  mediaRoot?: string;
}

const RETRY_SENDING_MS = 15_000;

export class Pipeline {
  private readonly outbox: Outbox;
  private readonly queue = new ChatQueue();
  private readonly commits: GroupCommit;
  private retryTimer: NodeJS.Timeout | undefined;
  /**
   * The messages the work running now queued, by customer, for the outbox to send without reading them back;
   * undefined once it queued one it cannot describe (the outbox then reads the store).
   */
  private queuedInTurn: Array<Outgoing & { customerId: number }> | undefined;

  constructor(private readonly deps: PipelineDeps) {
    this.commits = new GroupCommit(deps.store);
    this.outbox = new Outbox(deps.store, this.commits, deps.transport, deps.clock, deps.log, deps.mediaRoot ?? process.cwd());
  }

  /**
   * The one entry for customer messages, from every transport. Never rejects: failures are logged.
   * WhatsApp has been told the message arrived before it gets here, and will not deliver it again: when its chat
   * is busy (a reply being typed, seconds), it is written down at once and answered in its turn.
   */
  async handleInbound(message: InboundMessage): Promise<void> {
    const waits = this.queue.busy(message.chatId);
    if (waits) this.recordWaiting(message);
    await this.exclusive(message.chatId, () => this.record(message, waits));
  }

  /**
   * Runs `work` (synchronous store writes, in one transaction) in the chat's turn, then sends what it queued.
   * `work` returns the customer whose outbox to flush (their row id, or as the turn left them), or undefined when
   * there is none. Resolves to whether the writes were committed (false: they failed, were rolled back, and were logged).
   */
  exclusive(chatId: string, work: () => number | CustomerInTurn | undefined): Promise<boolean> {
    return this.queue.run(chatId, async () => {
      let committed = false;
      try {
        const turn = await this.commits.run(() => this.inTransaction(work));
        committed = true;
        if (turn !== undefined) {
          this.deps.afterCommit?.(turn.rowId);
          await this.flush(turn.rowId, turn.queued);
        }
      } catch (error) {
        this.deps.log.error({ err: error, chatId }, 'a message could not be handled');
      }
      return committed;
    });
  }

  /** `work` and the re-plan after it: the customer to flush, with what the work queued for them when known. */
  private inTransaction(work: () => number | CustomerInTurn | undefined): { rowId: number; queued?: Outgoing[] } | undefined {
    this.queuedInTurn = [];
    try {
      const changed = work();
      if (changed === undefined) return undefined;
      const known = typeof changed === 'number' ? undefined : changed;
      const rowId = known ? known.customer.rowId : (changed as number);
      this.deps.afterChange?.(rowId, this.deps.clock(), known);
      const queued = this.queuedInTurn?.every((message) => message.customerId === rowId) ? this.queuedInTurn : undefined;
      return { rowId, queued };
    } finally {
      this.queuedInTurn = undefined; // nothing queued outside a turn joins a list already handed over
    }
  }

  /**
   * Queues a text (or, with `media`, a picture or file captioned by the text) to a customer in the outbox, as the
   * bot or a staff member (`author`), and counts it as a contact.
   */
  queueText(customerId: number, sender: 'bot' | 'staff', text: string, now: number, author: string | null = null, media?: OutgoingMedia): void {
    this.queueOutbound(customerId, sender, text, now, author, media);
    this.deps.store.customers.touchSent(customerId, now);
  }

  /**
   * Finishes what a crash or an outage left: answers the messages recorded but not yet answered, then sends
   * everything left in the outbox; in each chat's turn. Run after a restart and on every reconnect.
   */
  async flushAll(): Promise<void> {
    const { messages } = this.deps.store;
    const answered = messages.waiting().map((message) => this.exclusive(message.chatId, () => this.record(message, true)));
    const sent = messages.chatsWithPending().map(({ customerId, chatId }) => this.queue.run(chatId, () => this.flush(customerId)));
    await Promise.all([...answered, ...sent]);
  }

  /** Stops retrying the outbox (shutdown). */
  stop(): void {
    clearTimeout(this.retryTimer);
  }

  private async flush(customerId: number, queued?: Outgoing[]): Promise<void> {
    if (await this.outbox.flush(customerId, queued)) return;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.flushAll().catch((error: unknown) => this.deps.log.error({ err: error }, 'retrying the outbox failed'));
    }, this.deps.retrySendingMs ?? RETRY_SENDING_MS).unref();
  }

  /** Resolves when every message handed in so far has been handled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private recordWaiting(message: InboundMessage): void {
    const { store } = this.deps;
    this.commits
      // Only the row id: the contact is recorded in the message's turn.
      .run(() => store.messages.recordWaiting(message, store.customers.ensure(message.chatId, message.at)))
      // Not lost yet: it is still answered in its turn, unless the process dies first.
      .catch((error: unknown) => this.deps.log.error({ err: error, chatId: message.chatId }, 'a message could not be recorded on arrival'));
  }

  /** The customer as the message finds them; its contact is written with the rest of the turn (`saveTurn`). */
  private arrival(message: InboundMessage): Arrival {
    const { store } = this.deps;
    if (message.lid) store.identity.adoptLid(message.lid, message.chatId);
    return store.customers.arrival(message.chatId, message.at, { phone: message.phone, pushName: message.pushName, inbound: true });
  }

  /** One customer message's turn; `recordedWaiting`: it was written down on arrival (`recordWaiting`). */
  private record(message: InboundMessage, recordedWaiting: boolean): number | CustomerInTurn {
    const { store, clock, random, flows } = this.deps;
    const now = clock();
    const arrival = this.arrival(message);
    const customer = arrival.contacted;
    if (store.messages.recordInbound(message, customer.rowId, recordedWaiting) === 'duplicate') {
      store.customers.saveTurn(arrival, customer);
      // Answered already; its replies may still wait in the outbox, so the flush that follows is still due.
      this.deps.log.debug({ messageId: message.id }, 'duplicate message ignored');
      return customer.rowId;
    }
    store.checkins.markAnswered(customer.rowId, message.at, message.text);
    if (UNANSWERED_KINDS.has(message.kind)) {
      store.customers.saveTurn(arrival, customer);
      return customer.rowId;
    }
    const result = step({ flows: flows(), customer, conversation: store.conversations.get(customer.rowId), inbound: message, now, random });
    this.deps.onStep?.(customer.rowId, result);
    // One customer write for the turn: the message's contact, what the flow changed and, when it replies, the reply's contact.
    const after = { ...customer, ...result.customer };
    const saved = store.customers.saveTurn(arrival, replies(result.actions) ? withSentContact(after, now) : after);
    store.conversations.save(customer.rowId, result.conversation, now);
    this.carryOut(customer.rowId, customer.id, result.actions, now);
    return { customer: saved, conversation: result.conversation };
  }

  /** Carries out what the engine decided: texts into the outbox, escalations recorded. Inside the chat's transaction. */
  act(customerId: number, chatId: string, actions: Action[], now: number): void {
    // One contact however many replies: this is the hot path.
    this.carryOut(customerId, chatId, actions, now);
    if (replies(actions)) this.deps.store.customers.touchSent(customerId, now);
  }

  /** `act` without the contact. */
  private carryOut(customerId: number, chatId: string, actions: Action[], now: number): void {
    for (const action of actions) {
      if (action.type === 'send') this.queueOutbound(customerId, 'bot', action.text, now, null, action.media, chatId);
      else {
        const escalationId = this.deps.store.escalations.open(customerId, action.reason, now);
        this.deps.onEscalation?.(escalationId, customerId, now);
        this.deps.log.info({ chatId, escalationId }, 'conversation escalated to staff');
      }
    }
  }

  /** `chatId`: the customer's, when the caller knows it (the outbox then needs not read the message back). */
  private queueOutbound(customerId: number, sender: 'bot' | 'staff', text: string, now: number, author: string | null = null, media?: OutgoingMedia, chatId?: string): void {
    const waId = this.deps.transport.newMessageId();
    const id = this.deps.store.messages.queueOutbound(waId, customerId, sender, text, now, author, media);
    if (chatId === undefined) this.queuedInTurn = undefined;
    else this.queuedInTurn?.push({ id, waId, chatId, customerId, kind: media?.kind ?? 'text', text, mediaPath: media?.path ?? null });
  }
}

function replies(actions: Action[]): boolean {
  return actions.some((action) => action.type === 'send');
}
