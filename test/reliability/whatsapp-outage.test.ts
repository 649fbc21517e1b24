/**
 * WhatsApp outage: the connection drops for 30 s (real time) while replies are being typed and sent, while staff
 * answer and check-ins go out, and while customers keep writing. The production connection lifecycle
 * (WhatsAppConnection, backoff and all) builds real Baileys sockets; this test plays WhatsApp's side: it opens or
 * drops each socket, refuses every send while down, and delivers what customers wrote meanwhile as `append` once a
 * socket is open again. Afterwards every reply is sent exactly once, and each chat receives its messages in order.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import makeWASocket, { DisconnectReason, type UserFacingSocketConfig, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import { CheckinPlanner } from '../../src/checkins/planner.js';
import { CheckinSender } from '../../src/checkins/sender.js';
import { dueCheckins } from '../../src/checkins/sweep.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { StaffDesk } from '../../src/staff/desk.js';
import { Store } from '../../src/store/store.js';
import { WhatsAppConnection } from '../../src/whatsapp/connection.js';
import { DEFAULT_PACING, WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { silentServer, waMessage } from '../helpers/baileys.js';
import { MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';
import { outageFlows, report, sleep, until } from './support.js';

afterAll(removeTempDirs);

const DAY = 86_400_000;
const OUTAGE_MS = 30_000;

const FLOWS = outageFlows(60);

interface Sent {
  chat: string;
  text: string;
  id: string;
  socket: number;
}

const closeError = (code: number): Error => Object.assign(new Error(code === DisconnectReason.connectionLost ? 'Connection Lost' : 'Connection Closed'), { output: { statusCode: code } });

describe('WhatsApp outage', () => {
  it('30 s without WhatsApp while replies, staff messages and check-ins are produced: afterwards all sent once, in order per chat', async () => {
    const server = await silentServer();
    const store = Store.open(join(tempDir(), 'setia.db'));
    const t0 = Date.now();
    const clock = (): number => MONDAY_10AM + (Date.now() - t0);
    // Production pacing: "typing…" for 40 ms per character (0.6–4 s), then a 0.5 s pause after each message.
    const gateway = new WhatsAppGateway({ log: silentLog, clock, pacing: DEFAULT_PACING });
    const planner = new CheckinPlanner(store, () => FLOWS, 0);
    const pipeline = new Pipeline({ store, transport: gateway, flows: () => FLOWS, clock, random: () => 0, log: silentLog, afterChange: (id, now) => void planner.replan(id, now) });
    const sender = new CheckinSender({ store, pipeline, planner, flows: () => FLOWS, clock, random: () => 0, log: silentLog });
    const desk = new StaffDesk(store, pipeline, clock);
    gateway.onInbound((m) => pipeline.handleInbound(m));
    gateway.onOwnMessage((m) => desk.ownMessage(m));

    // WhatsApp's side.
    let up = true;
    let openSocket = -1;
    const sockets: WASocket[] = [];
    const wire: Sent[] = [];
    let refused = 0;
    let attemptsWhileDown = 0;
    const backlog: WAMessage[] = []; // what customers wrote while the shop's connection was down
    let backlogDelivered = 0;
    const attemptsAt: number[] = [];
    const createSocket = (config: UserFacingSocketConfig): WASocket => {
      // Baileys' own log is silenced: the emitted 'open' makes it run start-up queries that fail without a server.
      const socket = makeWASocket({ ...config, logger: silentLog as never, connectTimeoutMs: 120_000 });
      attemptsAt.push(Date.now());
      const index = sockets.push(socket) - 1;
      const connected = (): boolean => up && openSocket === index;
      socket.sendPresenceUpdate = async () => {
        if (!connected()) throw closeError(DisconnectReason.connectionClosed);
      };
      socket.readMessages = async () => undefined;
      socket.sendMessage = (async (jid: string, content: { text: string }, options: { messageId: string }) => {
        if (!connected()) {
          refused++;
          throw closeError(DisconnectReason.connectionClosed);
        }
        wire.push({ chat: jid, text: content.text, id: options.messageId, socket: index });
        await new Promise((resolve) => setImmediate(resolve));
        return undefined;
      }) as never;
      setImmediate(() => {
        if (!up) {
          attemptsWhileDown++;
          socket.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(DisconnectReason.timedOut), date: new Date() } });
          return;
        }
        openSocket = index;
        socket.ev.emit('connection.update', { connection: 'open' });
        if (backlog.length) {
          const messages = backlog.splice(0);
          backlogDelivered += messages.length;
          socket.ev.emit('messages.upsert', { messages, type: 'append' });
        }
      });
      return socket;
    };
    const connection = new WhatsAppConnection({
      db: store.db, gateway, status: store.waStatus, sentText: (id) => store.messages.sentText(id), clock, log: silentLog,
      waWebSocketUrl: server.url, random: () => 1, createSocket,
      onQr: () => undefined, onPairingCode: () => undefined, onStop: () => undefined,
      onOpen: () => void pipeline.flushAll(),
    });

    // 20 loyal customers quiet for 31 days: their check-ins fall due during the outage.
    const loyal = store.transaction(() =>
      Array.from({ length: 20 }, (_, i) => {
        const chat = `62816${String(i).padStart(7, '0')}@s.whatsapp.net`;
        store.customers.create(chat, clock() - 31 * DAY, { name: `Setia ${i}`, tags: ['loyal'] });
        store.customers.touchContact(chat, clock() - 31 * DAY, { inbound: true });
        planner.replan(store.customers.get(chat)!.rowId, clock());
        return chat;
      }),
    );

    connection.start();
    await until('the first socket is open', () => gateway.status().connected, 10_000);
    const chats = Array.from({ length: 100 }, (_, c) => `62815${String(c).padStart(7, '0')}@s.whatsapp.net`);
    const write = (chat: string, n: number): WAMessage => waMessage(chat, { conversation: `pesan ${chat.slice(5, 12)} nomor ${n}` });
    // A burst: 100 customers, three messages each; replies are being typed when the connection drops.
    sockets[openSocket]!.ev.emit('messages.upsert', { messages: chats.flatMap((chat) => [1, 2, 3].map((n) => write(chat, n))), type: 'notify' });
    await sleep(1_500);
    const sentBeforeDrop = wire.length;

    up = false;
    const dropAt = Date.now();
    sockets[openSocket]!.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(DisconnectReason.connectionLost), date: new Date() } });
    const pendingAtDrop = store.messages.counts(0).pending;
    // During the outage: staff answer, check-ins go out, customers write (WhatsApp holds those for later).
    await sleep(5_000);
    const staffChats = chats.slice(0, 20);
    for (const chat of staffChats) await desk.reply(store.customers.get(chat)!.rowId, 'Rina', `Halo dari Rina untuk ${chat.slice(5, 12)}`);
    await sleep(5_000);
    const jobs = dueCheckins(store, planner, clock(), 1_000);
    const outcomes = await Promise.all(jobs.map((job) => sender.send(job)));
    await sleep(5_000);
    for (const chat of chats.slice(50, 100)) backlog.push(write(chat, 4));
    await sleep(OUTAGE_MS - (Date.now() - dropAt));
    const sendsDuringOutage = wire.length - sentBeforeDrop;
    const pendingAtEnd = store.messages.counts(0).pending;
    up = true;
    const upAt = Date.now();

    await until('a socket is open again', () => gateway.status().connected, 70_000, 50);
    const reconnectedAfterMs = Date.now() - upAt;
    await until('the outbox is empty and the backlog answered', async () => {
      await gateway.drained();
      await pipeline.idle();
      return store.messages.counts(0).pending === 0 && backlog.length === 0 && store.db.prepare(`SELECT count(*) AS n FROM messages WHERE direction = 'in'`).pluck().get() === 350;
    }, 120_000);
    await sleep(300);

    // Every outbound message in the store, per chat in the order it was produced, against what each chat received.
    const rows = store.db
      .prepare(`SELECT m.wa_id AS id, c.wa_id AS chat, m.text, m.status, m.sender FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.direction = 'out' ORDER BY m.id`)
      .all() as Array<{ id: string; chat: string; text: string; status: string; sender: string }>;
    const produced = new Map<string, string[]>();
    for (const r of rows) produced.set(r.chat, [...(produced.get(r.chat) ?? []), r.id]);
    const received = new Map<string, string[]>();
    for (const w of wire) received.set(w.chat, [...(received.get(w.chat) ?? []), w.id]);
    const chatsInOrder = [...produced].filter(([chat, ids]) => JSON.stringify(received.get(chat) ?? []) === JSON.stringify(ids)).length;
    const idCounts = new Map<string, number>();
    for (const w of wire) idCounts.set(w.id, (idCounts.get(w.id) ?? 0) + 1);
    const sentTwice = [...idCounts.values()].filter((n) => n > 1).length;
    const neverSent = rows.filter((r) => !idCounts.has(r.id)).length;
    const notMarkedSent = rows.filter((r) => r.status !== 'sent').length;
    // Each customer message has its one echo reply, in the order the customer wrote.
    const repliesInOrder = chats.every((chat) => {
      const texts = rows.filter((r) => r.chat === chat && r.sender === 'bot').map((r) => r.text);
      const expected = [1, 2, 3, ...(chats.indexOf(chat) >= 50 ? [4] : [])].map((n) => `balasan untuk pesan ${chat.slice(5, 12)} nomor ${n}`);
      return JSON.stringify(texts) === JSON.stringify(expected);
    });

    report('WhatsApp outage: 30 s down while replies are produced', {
      'customer messages': `350 (100 chats x 3 before the drop, 50 written during the outage, delivered as append)`,
      'outbound messages produced': `${rows.length} (${rows.filter((r) => r.sender === 'bot').length} bot, ${rows.filter((r) => r.sender === 'staff').length} staff)`,
      'check-ins during the outage': `${outcomes.filter((o) => o === 'sent').length} sent to the outbox of ${loyal.length} due`,
      'sent before the drop': sentBeforeDrop,
      'waiting in the outbox at the drop': pendingAtDrop,
      'waiting in the outbox at the end of the outage': pendingAtEnd,
      'outage (s)': ((upAt - dropAt) / 1000).toFixed(1),
      'reconnect attempts refused during the outage': `${attemptsWhileDown} (at ${attemptsAt.slice(1).map((at) => ((at - dropAt) / 1000).toFixed(1)).join(', ')} s after the drop)`,
      'sends refused while down (typing in progress, retry timer)': refused,
      'sent during the outage': sendsDuringOutage,
      'reconnected after WhatsApp was back (ms)': reconnectedAfterMs,
      'backlog messages delivered after reconnecting': backlogDelivered,
      'outbound sent exactly once': `${[...idCounts.values()].filter((n) => n === 1).length} / ${rows.length}`,
      'sent twice': sentTwice,
      'never sent': neverSent,
      'not marked sent': notMarkedSent,
      'chats receiving everything in order': `${chatsInOrder} / ${produced.size}`,
      'bot replies in the order customers wrote': repliesInOrder,
      'seconds': ((Date.now() - t0) / 1000).toFixed(1),
    });

    connection.stop();
    pipeline.stop();
    sockets.forEach((s) => s.end(undefined));
    store.close();
    await server.close();

    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(loyal.length);
    expect(pendingAtEnd).toBeGreaterThan(0);
    expect(sendsDuringOutage).toBe(0);
    expect(backlogDelivered).toBe(50);
    expect(rows.length).toBe(350 + staffChats.length + loyal.length);
    expect(sentTwice).toBe(0);
    expect(neverSent).toBe(0);
    expect(notMarkedSent).toBe(0);
    expect(chatsInOrder).toBe(produced.size);
    expect(repliesInOrder).toBe(true);
  });
});
