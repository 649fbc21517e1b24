import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { FlowSet } from '../../src/core/flow/types.js';
import { PermanentSendError } from '../../src/errors.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { StaffDesk } from '../../src/staff/desk.js';
import { Store } from '../../src/store/store.js';
import { SimulatorTransport, type SentMessage } from '../../src/transport/simulator.js';
import type { InboundMessage } from '../../src/transport/transport.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

const FLOWS = flowsFrom(`
start: welcome
fallback: fallback
flows:
  welcome:
    triggers: [halo]
    steps:
      - ask: "Siapa nama Anda?"
        save: customer.name
      - say: "Salam kenal, {{customer.name}}"
  echo: { triggers: [echo], steps: [ { say: "echo {{message.text}}" } ] }
  human: { triggers: [staf], steps: [ { escalate: "Minta staf", say: "Sebentar ya" } ] }
  fallback: { steps: [ { say: "Maaf?" } ] }
`);

/** A transport whose sends can be made to fail, as a dropped WhatsApp connection would, or refused for good. */
class FlakyTransport extends SimulatorTransport {
  failing = false;
  /** Sends never finish, as while a reply is being "typed" when the process dies. */
  hanging = false;
  override async send(chatId: string, text: string, messageId: string): Promise<void> {
    if (this.failing) throw new Error('connection closed');
    if (this.hanging) return new Promise(() => undefined);
    if (text.includes('DITOLAK')) throw new PermanentSendError('WhatsApp does not let this account start a chat with this number (463)');
    return super.send(chatId, text, messageId);
  }
}

let store: Store;
let transport: FlakyTransport;
let pipeline: Pipeline;
let sent: SentMessage[];
let dbPath: string;
let counter = 0;

function build(flows: FlowSet = FLOWS): void {
  store = Store.open(dbPath);
  transport = new FlakyTransport();
  sent = [];
  transport.onSend((m) => sent.push(m));
  pipeline = new Pipeline({ store, transport, flows: () => flows, clock: () => MONDAY_10AM, random: () => 0, log: silentLog, retrySendingMs: 30 });
  transport.onInbound((m) => pipeline.handleInbound(m));
}

function message(chat: string, text: string, id = `MSG${++counter}`): InboundMessage {
  return { id, chatId: `${chat}@s.whatsapp.net`, phone: chat, pushName: `Pelanggan ${chat}`, kind: 'text', text, at: MONDAY_10AM };
}

const textsTo = (chat: string): string[] => sent.filter((m) => m.chatId === `${chat}@s.whatsapp.net`).map((m) => m.text);

beforeEach(() => {
  dbPath = join(tempDir(), 'setia.db');
  build();
});
afterEach(() => {
  pipeline.stop();
  store.close();
});
afterAll(removeTempDirs);

describe('inbound pipeline', () => {
  it('stores and answers a message delivered twice only once', async () => {
    await transport.deliver(message('62811', 'echo satu', 'DUP1'));
    await transport.deliver(message('62811', 'echo satu', 'DUP1'));
    expect(textsTo('62811')).toEqual(['echo echo satu']);
    expect(store.messages.counts(0)).toEqual({ inbound: 1, outbound: 1, pending: 0 });
    const customer = store.customers.get('62811@s.whatsapp.net')!;
    expect(store.messages.transcript(customer.rowId).map((m) => [m.direction, m.sender, m.status])).toEqual([
      ['in', 'customer', 'received'],
      ['out', 'bot', 'sent'],
    ]);
  });

  it("handles one customer's messages strictly in order, even when they arrive at once", async () => {
    await Promise.all([transport.deliver(message('62811', 'halo')), transport.deliver(message('62811', 'Sari')), transport.deliver(message('62822', 'echo B'))]);
    expect(textsTo('62811')).toEqual(['Siapa nama Anda?', 'Salam kenal, Sari']);
    expect(textsTo('62822')).toEqual(['echo echo B']);
    expect(store.customers.get('62811@s.whatsapp.net')!.name).toBe('Sari');
  });

  it('keeps replies in the outbox when sending fails, and sends them in order once it works again', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo 1'));
    await transport.deliver(message('62811', 'echo 2'));
    expect(sent).toEqual([]);
    expect(store.messages.counts(0)).toEqual({ inbound: 2, outbound: 0, pending: 2 });
    transport.failing = false;
    await pipeline.flushAll();
    expect(textsTo('62811')).toEqual(['echo echo 1', 'echo echo 2']);
  });

  it('sends a reply that failed for a passing reason before the reply to the next message', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo 1'));
    transport.failing = false;
    await transport.deliver(message('62811', 'echo 2'));
    expect(textsTo('62811')).toEqual(['echo echo 1', 'echo echo 2']);
    expect(store.messages.counts(0).pending).toBe(0);
  });

  it('sends a reply the previous run left unsent before the reply to a new message after a restart', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo lama'));
    pipeline.stop();
    store.close();
    build();
    await transport.deliver(message('62811', 'echo baru'));
    expect(textsTo('62811')).toEqual(['echo echo lama', 'echo echo baru']);
  });

  it('retries the outbox by itself a little later after a passing failure', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo nanti'));
    transport.failing = false;
    await new Promise((r) => setTimeout(r, 100));
    await pipeline.idle();
    expect(textsTo('62811')).toEqual(['echo echo nanti']);
  });

  it('marks a message WhatsApp refuses for good as failed, with the reason, and goes on with the next', async () => {
    await transport.deliver(message('62811', 'echo DITOLAK'));
    await transport.deliver(message('62811', 'echo berikutnya'));
    expect(textsTo('62811')).toEqual(['echo echo berikutnya']);
    const failed = store.db.prepare(`SELECT status, error FROM messages WHERE text = 'echo echo DITOLAK'`).get();
    expect(failed).toEqual({ status: 'failed', error: 'WhatsApp does not let this account start a chat with this number (463)' });
  });

  it('sends what was decided but not sent before a restart, exactly once', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo sebelum mati'));
    store.close();
    build();
    await transport.deliver(message('62811', 'echo sebelum mati', `MSG${counter}`)); // WhatsApp redelivers it
    await pipeline.flushAll();
    expect(textsTo('62811')).toEqual(['echo echo sebelum mati']);
  });

  it('loses no message that arrived while its chat was busy when the bot dies, and answers them in order after a restart', async () => {
    transport.hanging = true;
    void transport.deliver(message('62815', 'echo satu'));
    void transport.deliver(message('62815', 'echo dua'));
    void transport.deliver(message('62815', 'echo tiga'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]); // the first reply is still being typed: then the process dies
    store.close();

    build();
    await pipeline.flushAll();
    expect(textsTo('62815')).toEqual(['echo echo satu', 'echo echo dua', 'echo echo tiga']);
    await pipeline.flushAll();
    expect(textsTo('62815')).toHaveLength(3);
  });

  it('sends replies still in the outbox when WhatsApp redelivers the message that caused them', async () => {
    transport.failing = true;
    await transport.deliver(message('62811', 'echo lagi', 'REDELIVERED'));
    transport.failing = false;
    await transport.deliver(message('62811', 'echo lagi', 'REDELIVERED'));
    expect(textsTo('62811')).toEqual(['echo echo lagi']);
  });

  it('opens an escalation, stays silent while escalated, and answers again after staff release it', async () => {
    const desk = new StaffDesk(store, pipeline, () => MONDAY_10AM);
    await transport.deliver(message('62811', 'staf'));
    await transport.deliver(message('62811', 'halo?'));
    const customer = store.customers.get('62811@s.whatsapp.net')!;
    const escalation = store.escalations.current(customer.rowId)!;
    expect(escalation).toMatchObject({ reason: 'Minta staf', status: 'waiting' });
    expect(await desk.reply(customer.rowId, 'Rina', 'Halo, saya Rina')).toBe(true);
    expect(store.escalations.current(customer.rowId)).toMatchObject({ status: 'claimed', claimedBy: 'Rina', firstResponseAt: MONDAY_10AM });
    expect(await desk.release(customer.rowId, 'Rina', 'Terima kasih!')).toBe(true);
    expect(store.escalations.current(customer.rowId)).toBeUndefined();
    expect(store.escalations.byId(escalation.id)).toMatchObject({ status: 'released', releasedBy: 'Rina' });
    await transport.deliver(message('62811', 'echo lagi'));
    expect(textsTo('62811')).toEqual(['Sebentar ya', 'Halo, saya Rina', 'Terima kasih!', 'echo echo lagi']);
    expect(store.messages.transcript(customer.rowId).map((m) => m.sender)).toEqual(['customer', 'bot', 'customer', 'staff', 'staff', 'customer', 'bot']);
    expect(store.messages.transcript(customer.rowId).filter((m) => m.sender === 'staff').map((m) => m.author)).toEqual(['Rina', 'Rina']);
    expect(await desk.release(9_999, 'Rina')).toBe(false);
  });

  it("counts the bot's reply as a contact (check-ins reckon from the last contact in either direction)", async () => {
    await transport.deliver({ ...message('62811', 'echo x'), at: MONDAY_10AM - 60_000 });
    expect(store.customers.get('62811@s.whatsapp.net')).toMatchObject({ firstContactAt: MONDAY_10AM - 60_000, lastContactAt: MONDAY_10AM });
  });

  it('records stickers and reactions for staff without answering them', async () => {
    await transport.deliver({ ...message('62811', ''), kind: 'sticker' });
    await transport.deliver({ ...message('62811', ''), kind: 'other' });
    expect(sent).toEqual([]);
    const customer = store.customers.get('62811@s.whatsapp.net')!;
    expect(store.messages.transcript(customer.rowId).map((m) => m.kind)).toEqual(['sticker', 'other']);
  });

  it("keeps the bot quiet after a person writes from the shop's phone, until release or the pause ends", async () => {
    const desk = new StaffDesk(store, pipeline, () => MONDAY_10AM, 3_600_000);
    await transport.deliver(message('62811', 'echo 1'));
    await desk.ownMessage({ ...message('62811', 'Halo, ini Rina dari toko'), pushName: null });
    await transport.deliver(message('62811', 'echo 2'));
    await desk.release(store.customers.get('62811@s.whatsapp.net')!.rowId, 'Rina');
    await transport.deliver(message('62811', 'echo 3'));
    await desk.ownMessage({ ...message('62811', 'Saya lagi yang balas'), at: MONDAY_10AM - 3_600_000 }); // an hour ago: pause over
    await transport.deliver(message('62811', 'echo 4'));
    expect(textsTo('62811')).toEqual(['echo echo 1', 'echo echo 3', 'echo echo 4']);
    const customer = store.customers.get('62811@s.whatsapp.net')!;
    expect(store.messages.transcript(customer.rowId).filter((m) => m.sender === 'staff').map((m) => m.text)).toEqual(['Halo, ini Rina dari toko', 'Saya lagi yang balas']);
  });

  it('logs and survives a message that breaks handling, and goes on with the next one', async () => {
    const broken = { ...message('62811', 'echo x'), kind: 'text' as const, text: undefined as unknown as string };
    await transport.deliver(broken);
    await transport.deliver(message('62811', 'echo y'));
    expect(textsTo('62811')).toEqual(['echo echo y']);
  });
});
