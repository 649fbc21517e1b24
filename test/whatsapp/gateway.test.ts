import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WASocket } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import { PermanentSendError } from '../../src/errors.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { StaffDesk } from '../../src/staff/desk.js';
import { Store } from '../../src/store/store.js';
import { WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { offlineSocket, silentServer, waMessage } from '../helpers/baileys.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

const FLOWS = flowsFrom(`
fallback: echo
flows:
  echo: { steps: [ { say: "[{{message.text}}]" } ] }
`);

const PN = '6281234567890@s.whatsapp.net';
const LID = '123456789012345@lid';

let server: Awaited<ReturnType<typeof silentServer>>;
let store: Store;
let socket: WASocket;
let gateway: WhatsAppGateway;
let waits: number[];

beforeAll(async () => {
  server = await silentServer();
});
afterAll(() => server.close());

beforeEach(() => {
  store = Store.open(join(tempDir(), 'setia.db'));
  waits = [];
  gateway = new WhatsAppGateway({ log: silentLog, clock: () => MONDAY_10AM, wait: async (ms) => void waits.push(ms) });
  const pipeline = new Pipeline({ store, transport: gateway, flows: () => FLOWS, clock: () => MONDAY_10AM, random: () => 0, log: silentLog });
  const desk = new StaffDesk(store, pipeline, () => MONDAY_10AM);
  gateway.onInbound((m) => pipeline.handleInbound(m));
  gateway.onOwnMessage((m) => desk.ownMessage(m));
  socket = offlineSocket(server.url);
  gateway.attach(socket);
});
afterEach(() => {
  socket.end(undefined);
  store.close();
});
afterAll(removeTempDirs);

async function deliver(type: 'notify' | 'append', ...messages: ReturnType<typeof waMessage>[]): Promise<void> {
  socket.ev.emit('messages.upsert', { messages, type });
  await new Promise((r) => setImmediate(r));
  await gateway.drained();
  await new Promise((r) => setTimeout(r, 20));
}

function log(chatId: string): Array<[string, string, string, string]> {
  const customer = store.customers.get(chatId);
  return customer ? store.messages.transcript(customer.rowId).map((m) => [m.sender, m.kind, m.text, m.status]) : [];
}

describe('WhatsApp gateway (real Baileys socket, event path)', () => {
  it('turns every kind of customer message into an inbound message, and answers only what can be answered', async () => {
    await deliver(
      'notify',
      waMessage(PN, { conversation: 'halo' }),
      waMessage(PN, { extendedTextMessage: { text: 'balas ini' } }),
      waMessage(PN, { imageMessage: { caption: 'bukti transfer' } }),
      waMessage(PN, { ephemeralMessage: { message: { videoMessage: { caption: 'video sementara' } } } }),
      waMessage(PN, { viewOnceMessageV2: { message: { imageMessage: { caption: 'sekali lihat' } } } }),
      waMessage(PN, { documentWithCaptionMessage: { message: { documentMessage: { caption: 'invoice.pdf' } } } }),
      waMessage(PN, { audioMessage: {} }),
      waMessage(PN, { locationMessage: { degreesLatitude: -7.8, degreesLongitude: 110.36, name: 'Malioboro' } }),
      waMessage(PN, { buttonsResponseMessage: { selectedButtonId: 'b1', selectedDisplayText: 'Cek pesanan' } }),
      waMessage(PN, { listResponseMessage: { title: 'Jam buka', singleSelectReply: { selectedRowId: 'r2' } } }),
      waMessage(PN, { templateButtonReplyMessage: { selectedId: 't3', selectedDisplayText: 'Bicara dengan staf' } }),
      waMessage(PN, { stickerMessage: {} }),
      waMessage(PN, { reactionMessage: { text: '👍', key: { id: 'X' } } }),
      waMessage(PN, { pollCreationMessageV3: { name: 'Suka?' } }),
      waMessage(PN, { protocolMessage: { type: 0, key: { id: 'X' } } }),
    );
    const inbound = log(PN).filter(([sender]) => sender === 'customer').map(([, kind, text]) => `${kind}:${text}`);
    expect(inbound).toEqual([
      'text:halo', 'text:balas ini', 'image:bukti transfer', 'video:video sementara', 'image:sekali lihat', 'document:invoice.pdf', 'audio:',
      'location:Malioboro', 'text:Cek pesanan', 'text:Jam buka', 'text:Bicara dengan staf', 'sticker:', 'other:', 'other:', 'other:',
    ]);
    const replies = log(PN).filter(([sender]) => sender === 'bot').map(([, , text, status]) => `${text} (${status})`);
    expect(replies).toEqual([
      '[halo] (pending)', '[balas ini] (pending)', '[bukti transfer] (pending)', '[video sementara] (pending)', '[sekali lihat] (pending)',
      '[invoice.pdf] (pending)', '[] (pending)', '[Malioboro] (pending)', '[Cek pesanan] (pending)', '[Jam buka] (pending)', '[Bicara dengan staf] (pending)',
    ]);
    expect(store.customers.get(PN)).toMatchObject({ name: 'Sari', phone: '6281234567890' });
  });

  it('ignores groups, status updates, newsletters and broadcast lists', async () => {
    await deliver(
      'notify',
      waMessage('120363000000000000@g.us', { conversation: 'grup' }, { key: { participant: PN } }),
      waMessage('status@broadcast', { conversation: 'status' }),
      waMessage('120363000000000001@newsletter', { conversation: 'berita' }),
      waMessage('1700000000@broadcast', { conversation: 'siaran' }),
    );
    expect((store.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(0);
  });

  it('keys a LID chat by the phone number from remoteJidAlt, and by the LID when no number is known', async () => {
    await deliver('notify', waMessage(LID, { conversation: 'dari lid' }, { key: { remoteJidAlt: PN } }));
    await deliver('notify', waMessage('999999999999999@lid', { conversation: 'tanpa nomor' }));
    expect(log(PN).map(([, , text]) => text)).toContain('dari lid');
    expect(store.customers.get('999999999999999@lid')).toMatchObject({ phone: null, name: 'Sari' });
  });

  it('joins a customer first known only by their LID to their phone number once a message shows both', async () => {
    await deliver('notify', waMessage(LID, { conversation: 'pertama, tanpa nomor' }));
    expect(store.customers.get(LID)).toBeDefined();
    await deliver('notify', waMessage(LID, { conversation: 'kedua, dengan nomor' }, { key: { remoteJidAlt: PN } }));
    expect(store.customers.get(LID)).toBeUndefined();
    expect(store.customers.get(PN)).toMatchObject({ phone: '6281234567890', name: 'Sari' });
    expect(log(PN).filter(([sender]) => sender === 'customer').map(([, , text]) => text)).toEqual(['pertama, tanpa nomor', 'kedua, dengan nomor']);
  });

  it('merges two records of one person, keeping both histories, tags and the higher counters', async () => {
    await deliver('notify', waMessage(LID, { conversation: 'lewat lid' }));
    await deliver('notify', waMessage(PN, { conversation: 'lewat nomor' }));
    const byLid = store.customers.get(LID)!;
    store.customers.save(byLid, { ...byLid, tags: ['vip'], counters: { orders: 4 } });
    const byPhone = store.customers.get(PN)!;
    store.customers.save(byPhone, { ...byPhone, tags: ['loyal'], counters: { orders: 1, visits: 2 } });
    await deliver('notify', waMessage(LID, { conversation: 'keduanya' }, { key: { remoteJidAlt: PN } }));
    expect(store.customers.get(LID)).toBeUndefined();
    expect(store.customers.get(PN)).toMatchObject({ tags: ['loyal', 'vip'], counters: { orders: 4, visits: 2 } });
    expect(log(PN).filter(([sender]) => sender === 'customer').map(([, , text]) => text).sort()).toEqual(['keduanya', 'lewat lid', 'lewat nomor']);
  });

  it('stores a redelivered message once, and takes the backlog (append) after a reconnect', async () => {
    const message = waMessage(PN, { conversation: 'sekali saja' });
    await deliver('notify', message);
    await deliver('append', message, waMessage(PN, { conversation: 'dari backlog' }));
    expect(log(PN).filter(([s]) => s === 'customer').map(([, , t]) => t)).toEqual(['sekali saja', 'dari backlog']);
    expect(log(PN).filter(([s]) => s === 'bot')).toHaveLength(2);
  });

  it("ignores the bot's own echoes and records what a person typed on the shop's phone as staff", async () => {
    await deliver('notify', waMessage(PN, { conversation: 'halo' }));
    const [reply] = store.messages.transcript(store.customers.get(PN)!.rowId).filter((m) => m.sender === 'bot');
    await deliver('append', waMessage(PN, { conversation: reply!.text }, { key: { fromMe: true, id: reply!.waId } }));
    await deliver('notify', waMessage(PN, { conversation: 'Halo Kak, saya Rina' }, { key: { fromMe: true } }));
    expect(log(PN).map(([sender, , text]) => `${sender}:${text}`)).toEqual(['customer:halo', 'bot:[halo]', 'staff:Halo Kak, saya Rina']);
  });

  it('sends like a person: typing for a time that grows with the reply, a pause between messages; never while disconnected', async () => {
    const calls: string[] = [];
    // The socket's network side is replaced by recorders: there is no WhatsApp server in CI.
    socket.sendPresenceUpdate = async (state, jid) => void calls.push(`${state} ${jid}`);
    socket.sendMessage = (async (jid: string, content: { text: string }, options: { messageId: string }) => {
      calls.push(`send ${jid} ${content.text} ${options.messageId}`);
      return undefined;
    }) as never;
    await expect(gateway.send(PN, 'halo', 'ID0')).rejects.toThrow('WhatsApp is not connected');
    gateway.setConnected(true);
    await gateway.send(PN, 'Halo Kak!', 'ID1');
    await gateway.send(PN, 'x'.repeat(500), 'ID2');
    expect(calls).toEqual([`composing ${PN}`, `paused ${PN}`, `send ${PN} Halo Kak! ID1`, `composing ${PN}`, `paused ${PN}`, `send ${PN} ${'x'.repeat(500)} ID2`]);
    expect(waits).toEqual([600, 500, 4_000]); // typing, the pause after the first message, typing
  });

  it('tells errors WhatsApp will never get over (463, bad numbers) from passing ones', async () => {
    gateway.setConnected(true);
    socket.sendPresenceUpdate = async () => undefined;
    let failure: Error = Object.assign(new Error('not allowed'), { output: { statusCode: 463 } });
    socket.sendMessage = (async () => {
      throw failure;
    }) as never;
    await expect(gateway.send(PN, 'halo', 'A')).rejects.toThrow(PermanentSendError);
    await expect(gateway.send('halo@g.us', 'halo', 'B')).rejects.toThrow(/is not a WhatsApp number/);
    failure = Object.assign(new Error('timed out'), { output: { statusCode: 408 } });
    await expect(gateway.send(PN, 'halo', 'C')).rejects.toThrow('timed out');
    await expect(gateway.send(PN, 'halo', 'C')).rejects.not.toThrow(PermanentSendError);
  });

  it('still sends when "typing…" cannot be shown', async () => {
    const sentIds: string[] = [];
    socket.sendPresenceUpdate = async () => {
      throw new Error('presence failed');
    };
    socket.sendMessage = (async (_jid: string, _content: unknown, options: { messageId: string }) => void sentIds.push(options.messageId)) as never;
    gateway.setConnected(true);
    await gateway.send(PN, 'tetap terkirim', 'ID3');
    expect(sentIds).toEqual(['ID3']);
  });

  it('marks a reply sent when its echo arrives while it is still pending (sent just before a crash)', async () => {
    await deliver('notify', waMessage(PN, { conversation: 'halo' }));
    const [reply] = store.messages.transcript(store.customers.get(PN)!.rowId).filter((m) => m.sender === 'bot');
    expect(reply!.status).toBe('pending');
    await deliver('append', waMessage(PN, { conversation: reply!.text }, { key: { fromMe: true, id: reply!.waId } }));
    expect(log(PN).map(([sender, , text, status]) => `${sender}:${text}:${status}`)).toEqual(['customer:halo:received', 'bot:[halo]:sent']);
  });

  it('takes no new messages once shutting down', async () => {
    gateway.stopTaking();
    await deliver('notify', waMessage(PN, { conversation: 'terlambat' }));
    expect(log(PN)).toEqual([]);
  });

  it('logs and skips malformed messages without crashing', async () => {
    socket.ev.emit('messages.upsert', { messages: [{} as never, { key: { id: 'x' } } as never, null as never], type: 'notify' });
    await deliver('notify', waMessage(PN, { conversation: 'masih jalan' }));
    expect(log(PN).map(([, , text]) => text)).toEqual(['masih jalan', '[masih jalan]']);
  });

  it('skips an event whose messages are not a list, and takes the messages after it', async () => {
    socket.ev.emit('messages.upsert', { messages: undefined as never, type: 'notify' });
    socket.ev.emit('messages.upsert', { messages: { key: { id: 'x' } } as never, type: 'notify' });
    await deliver('notify', waMessage(PN, { conversation: 'masih jalan' }));
    expect(log(PN).map(([, , text]) => text)).toEqual(['masih jalan', '[masih jalan]']);
  });
});
