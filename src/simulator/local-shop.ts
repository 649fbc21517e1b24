/**
 * A shop with one customer and no phone: the production store, pipeline and staff hand-back wired to the
 * simulator transport and a clock that can be moved forward. `setia chat` and `setia flows test` run on it.
 */
import type { Logger } from 'pino';
import type { Customer, FlowSet, InboundKind } from '../core/flow/types.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { Handback } from '../staff/handback.js';
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
  customer: { name?: string; phone?: string; tags?: string[]; counters?: Record<string, number>; vars?: Record<string, string> };
}

export interface CustomerMessage {
  text: string;
  kind?: InboundKind;
  location?: { latitude: number; longitude: number; name?: string };
}

const DEFAULT_PHONE = '6281234567890';

export class LocalShop {
  readonly transport: SimulatorTransport;
  readonly pipeline: Pipeline;
  readonly handback: Handback;
  readonly chatId: string;
  private offset = 0;
  private messageCount = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly options: LocalShopOptions) {
    const clock = (): number => this.now();
    this.transport = new SimulatorTransport(options.now);
    this.pipeline = new Pipeline({ store: options.store, transport: this.transport, flows: options.flows, clock, random: options.random ?? Math.random, log: options.log });
    this.transport.onInbound((message) => this.pipeline.handleInbound(message));
    this.handback = new Handback(options.store, this.pipeline, clock);
    this.chatId = `${this.phone}@s.whatsapp.net`;
    if (!options.store.customers.get(this.chatId)) this.createCustomer();
  }

  private get phone(): string {
    return this.options.customer.phone ?? DEFAULT_PHONE;
  }

  /** The customer as the options describe them, known to the shop but never written to yet. */
  private createCustomer(): void {
    const { name, tags, counters, vars } = this.options.customer;
    const initial = { name: name ?? null, phone: this.phone, tags, counters, vars };
    this.options.store.customers.create(this.chatId, this.now(), initial, name ? 'import' : 'whatsapp');
  }

  now(): number {
    return this.options.now + this.offset + (this.options.realTime ? Date.now() - this.startedAt : 0);
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  /** The customer sends a message; resolves with what the bot (or staff) sent back meanwhile. */
  async send(message: CustomerMessage): Promise<SentMessage[]> {
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
    return this.capture(() => this.handback.reply(this.chatId, text));
  }

  release(closingMessage?: string): Promise<SentMessage[]> {
    return this.capture(() => this.handback.release(this.chatId, closingMessage));
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
