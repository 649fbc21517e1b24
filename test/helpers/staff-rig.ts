/**
 * The staff takeover wired as app.ts wires it, on a real Baileys socket that never connects: customers and staff
 * write through the socket's event path, and what the shop's account sends is recorded instead of going out.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import type { WAMessage, WASocket } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import type { FlowSet } from '../../src/core/flow/types.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { StaffCommands } from '../../src/staff/commands.js';
import { StaffDesk } from '../../src/staff/desk.js';
import { StaffNotifier } from '../../src/staff/notifier.js';
import { Store } from '../../src/store/store.js';
import { WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { offlineSocket, silentServer, waMessage } from './baileys.js';
import { flowsFrom, MONDAY_10AM } from './engine.js';
import { removeTempDirs, silentLog, tempDir } from './temp.js';

export const CUSTOMER = '6281234567890@s.whatsapp.net';
export const RINA = '6281211112222@s.whatsapp.net';
export const BUDI = '6281233334444@s.whatsapp.net';

export const STAFF_FLOWS = flowsFrom(`
settings:
  staff:
    - { name: Rina, phone: "0812-1111-2222" }
    - { name: Budi, phone: "6281233334444", owner: true }
  quick_replies:
    ongkir: "Halo Kak {{customer.name}}, ongkir ke Bandung Rp10.000 ya."
    rekening: "Transfer ke BCA 123456 a.n. Toko Sari ya, Kak."
fallback: echo
flows:
  human: { triggers: [staf], steps: [ { escalate: "Minta staf", say: "Sebentar ya, staf kami segera membalas." } ] }
  echo: { steps: [ { say: "[{{message.text}}]" } ] }
`);

export const inboxUrl = (customerRowId: number): string => `https://inbox.tokosari.id/customers/${customerRowId}`;

export interface Sent {
  to: string;
  text: string;
  id: string;
}

export class StaffRig {
  readonly store: Store;
  readonly socket: WASocket;
  readonly gateway: WhatsAppGateway;
  readonly pipeline: Pipeline;
  readonly notifier: StaffNotifier;
  readonly desk: StaffDesk;
  readonly commands: StaffCommands;
  readonly sent: Sent[] = [];
  now = MONDAY_10AM;
  /** Chats WhatsApp refuses for good (463). */
  readonly refused = new Set<string>();

  constructor(serverUrl: string, flows: FlowSet = STAFF_FLOWS, dbPath = join(tempDir(), 'setia.db')) {
    const clock = (): number => this.now;
    this.store = Store.open(dbPath);
    this.gateway = new WhatsAppGateway({ log: silentLog, clock, wait: async () => undefined });
    this.notifier = new StaffNotifier({ store: this.store, transport: this.gateway, flows: () => flows, clock, log: silentLog, inboxUrl, retrySendingMs: 30 });
    this.pipeline = new Pipeline({
      store: this.store,
      transport: this.gateway,
      flows: () => flows,
      clock,
      random: () => 0,
      log: silentLog,
      retrySendingMs: 30,
      onEscalation: (id, _customer, now) => this.notifier.escalationOpened(id, now),
      afterCommit: () => void this.notifier.flush(),
    });
    this.desk = new StaffDesk(this.store, this.pipeline, clock);
    this.commands = new StaffCommands({ store: this.store, desk: this.desk, notifier: this.notifier, flows: () => flows, clock, log: silentLog });
    this.gateway.onInbound((m) => (this.commands.isStaff(m) ? this.commands.handle(m) : this.pipeline.handleInbound(m)));
    this.gateway.onOwnMessage((m) => (this.commands.isStaff(m) ? this.notifier.echoed(m) : this.desk.ownMessage(m)));
    this.socket = offlineSocket(serverUrl);
    this.gateway.attach(this.socket);
    this.recordSends();
    this.gateway.setConnected(true);
  }

  /** The socket's network side is replaced by a recorder: there is no WhatsApp server in CI. */
  private recordSends(): void {
    this.socket.sendPresenceUpdate = async () => undefined;
    this.socket.sendMessage = (async (to: string, content: { text: string }, options: { messageId: string }) => {
      if (this.refused.has(to)) throw Object.assign(new Error('not allowed'), { output: { statusCode: 463 } });
      this.sent.push({ to, text: content.text, id: options.messageId });
      return undefined;
    }) as never;
  }

  /** Messages arrive as WhatsApp delivers them; resolves when everything they caused is handled and sent. */
  async deliver(type: 'notify' | 'append', ...messages: WAMessage[]): Promise<void> {
    this.socket.ev.emit('messages.upsert', { messages, type });
    await new Promise((resolve) => setImmediate(resolve));
    await this.settle();
  }

  async settle(): Promise<void> {
    await this.gateway.drained();
    await this.pipeline.idle();
    await this.commands.idle();
    await this.notifier.flush();
  }

  customerSays(text: string): Promise<void> {
    return this.deliver('notify', waMessage(CUSTOMER, { conversation: text }));
  }

  /** A staff member's reply quoting one of the shop's messages (a notification). */
  staffReply(from: string, quotedId: string | null, text: string): WAMessage {
    const contextInfo = quotedId ? { stanzaId: quotedId, participant: '6281100000000@s.whatsapp.net', quotedMessage: { conversation: '…' } } : undefined;
    return waMessage(from, { extendedTextMessage: { text, contextInfo } }, { pushName: 'Staf' });
  }

  staffSays(from: string, quotedId: string | null, text: string): Promise<void> {
    return this.deliver('notify', this.staffReply(from, quotedId, text));
  }

  textsTo(chat: string): string[] {
    return this.sent.filter((m) => m.to === chat).map((m) => m.text);
  }

  /** The latest message the shop's account sent to a chat. */
  lastTo(chat: string): Sent {
    const found = this.sent.filter((m) => m.to === chat).at(-1);
    if (!found) throw new Error(`nothing was sent to ${chat}`);
    return found;
  }

  customer(): { rowId: number } {
    return this.store.customers.get(CUSTOMER)!;
  }

  close(): void {
    this.pipeline.stop();
    this.notifier.stop();
    this.socket.end(undefined);
    this.store.close();
  }
}

/** One silent server for the test file and a fresh rig, on a fresh database, for each test. */
export function staffRigPerTest(): { current: () => StaffRig; restart: (flows?: FlowSet, dbPath?: string) => StaffRig } {
  let server: Awaited<ReturnType<typeof silentServer>>;
  let rig: StaffRig;
  beforeAll(async () => {
    server = await silentServer();
  });
  beforeEach(() => {
    rig = new StaffRig(server.url);
  });
  afterEach(() => rig.close());
  afterAll(async () => {
    await server.close();
    removeTempDirs();
  });
  return {
    current: () => rig,
    /** A new process: other flows, or the same database file again. */
    restart: (flows, dbPath) => {
      rig.close();
      rig = new StaffRig(server.url, flows, dbPath);
      return rig;
    },
  };
}
