/**
 * A shop with one customer and no phone: the production store, pipeline and staff hand-back wired to the
 * simulator transport and a clock that can be moved forward. `setia chat` and `setia flows test` run on it.
 */
import type { Logger } from 'pino';
import { CheckinPlanner } from '../checkins/planner.js';
import { CheckinSender } from '../checkins/sender.js';
import type { Customer, FlowSet, InboundKind, StepResult } from '../core/flow/types.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { StaffDesk } from '../staff/desk.js';
import type { CustomerRecord } from '../store/customers.js';
import type { Store } from '../store/store.js';
import { SimulatorTransport, type SentMessage } from '../transport/simulator.js';

export interface LocalShopOptions {
  store: Store;
  flows: () => FlowSet;
  log: Logger;
  /** Where the clock starts (epoch ms); it moves only with `advance`, plus real time when `realTime`. */
  now: number;
  realTime?: boolean;
  random?: () => number;
  customer: LocalCustomer;
  /** Called once a change to a customer is committed (the inbox's live updates). */
  afterCommit?: (customerRowId: number) => void;
  /** The shop's folder, which the pictures flows send are relative to. */
  mediaRoot?: string;
}

/** The customer the local shop talks to: known to the shop, last in contact at `lastContactAt` (default: now). */
export interface LocalCustomer {
  name?: string;
  phone?: string;
  tags?: string[];
  counters?: Record<string, number>;
  vars?: Record<string, string>;
  lastContactAt?: number;
}

export interface CustomerMessage {
  text: string;
  kind?: InboundKind;
  location?: { latitude: number; longitude: number; name?: string };
}

const DEFAULT_PHONE = '6281234567890';
/** Who `/staff` and `/release` act as in the terminal, and `staff_reply` in flow tests. */
const LOCAL_STAFF = 'staff';
/** Steps one `passTime` may take: a guard against rules that would fire without end. */
const MAX_STEPS_PER_WAIT = 1_000;

export class LocalShop {
  readonly transport: SimulatorTransport;
  readonly pipeline: Pipeline;
  readonly desk: StaffDesk;
  readonly planner: CheckinPlanner;
  readonly checkins: CheckinSender;
  readonly chatId: string;
  /** What the engine made of the customer's last message: the flows it started and what it matched (/why). */
  lastTurn: Pick<StepResult, 'started' | 'why'> | undefined;
  private offset = 0;
  private messageCount = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly options: LocalShopOptions) {
    const clock = (): number => this.now();
    const random = options.random ?? Math.random;
    this.transport = new SimulatorTransport(options.now);
    this.planner = new CheckinPlanner(options.store, options.flows, 0); // no spread: a test expects the check-in right at the opening
    const afterChange = (rowId: number, now: number): void => void this.planner.replan(rowId, now);
    const onStep = (_customerRowId: number, { started, why }: StepResult): void => void (this.lastTurn = { started, why });
    this.pipeline = new Pipeline({
      store: options.store, transport: this.transport, flows: options.flows, clock, random, log: options.log,
      afterChange, afterCommit: options.afterCommit, onStep, mediaRoot: options.mediaRoot,
    });
    this.checkins = new CheckinSender({ store: options.store, pipeline: this.pipeline, planner: this.planner, flows: options.flows, clock, random, log: options.log });
    this.transport.onInbound((message) => this.pipeline.handleInbound(message));
    this.desk = new StaffDesk(options.store, this.pipeline, clock);
    this.chatId = `${this.phone}@s.whatsapp.net`;
    if (!options.store.customers.get(this.chatId)) this.createCustomer();
  }

  private get phone(): string {
    return this.options.customer.phone ?? DEFAULT_PHONE;
  }

  /** The customer as the options describe them, known to the shop but never written to yet. */
  private createCustomer(): void {
    const { name, tags, counters, vars } = this.options.customer;
    const { store } = this.options;
    const initial = { name: name ?? null, phone: this.phone, tags, counters, vars };
    store.customers.create(this.chatId, this.now(), initial, name ? 'import' : 'whatsapp');
    store.customers.touchContact(this.chatId, this.options.customer.lastContactAt ?? this.now(), { inbound: true });
    store.transaction(() => this.planner.replan(store.customers.get(this.chatId)!.rowId, this.now()));
  }

  now(): number {
    return this.options.now + this.offset + (this.options.realTime ? Date.now() - this.startedAt : 0);
  }

  /** Moves the clock forward, sending the check-ins that fall due on the way; resolves with what was sent. */
  passTime(ms: number): Promise<SentMessage[]> {
    const end = this.now() + ms;
    return this.capture(async () => {
      for (let steps = 0; steps < MAX_STEPS_PER_WAIT; steps++) {
        const verdict = this.options.store.transaction(() => this.planner.replan(this.customer().rowId, this.now()));
        if (verdict?.due) {
          await this.checkins.send({ customerId: this.customer().rowId, chatId: this.chatId, rule: verdict.rule.name, cycle: verdict.cycle, plannedAt: this.now() });
          continue;
        }
        const next = verdict?.nextAt ?? null;
        if (next === null || next > end) break;
        this.offset += Math.max(next - this.now(), 1);
      }
      this.offset += Math.max(end - this.now(), 0);
    });
  }

  /** The customer sends a message; resolves with what the bot (or staff) sent back meanwhile. */
  async send(message: CustomerMessage): Promise<SentMessage[]> {
    this.lastTurn = undefined;
    return this.capture(() =>
      this.transport.deliver({
        id: `LOCAL-${this.startedAt}-${++this.messageCount}`,
        chatId: this.chatId,
        phone: this.phone,
        pushName: this.options.customer.name ?? null,
        kind: message.kind ?? 'text',
        text: message.text,
        location: message.location,
        at: this.now(),
      }),
    );
  }

  staffReply(text: string): Promise<SentMessage[]> {
    return this.capture(() => this.desk.reply(this.customer().rowId, LOCAL_STAFF, text));
  }

  release(closingMessage?: string): Promise<SentMessage[]> {
    return this.capture(() => this.desk.release(this.customer().rowId, LOCAL_STAFF, closingMessage));
  }

  customer(): CustomerRecord & Customer {
    return this.options.store.customers.get(this.chatId)!;
  }

  escalated(): boolean {
    return this.options.store.conversations.get(this.customer().rowId)?.escalated ?? false;
  }

  /** Forgets the conversation and everything saved about the customer, as if they had never written. */
  reset(): void {
    this.options.store.customers.remove(this.chatId);
    this.createCustomer();
  }

  private async capture(action: () => Promise<unknown>): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    const listener = (message: SentMessage): void => {
      if (message.chatId === this.chatId) sent.push(message);
    };
    this.transport.onSend(listener);
    try {
      await action();
      await this.pipeline.idle();
    } finally {
      this.transport.offSend(listener);
    }
    return sent;
  }
}
