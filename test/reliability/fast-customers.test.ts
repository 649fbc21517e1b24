/**
 * Fast customers: 1,000 customers who answer each question within a millisecond of receiving it, or write three
 * messages in one burst before the bot has asked anything. A peer bot drops an answer that arrives before its
 * question is "armed"; here every message must be handled, in order, none dropped. Real Baileys socket (its
 * `messages.upsert` event path), the production gateway and pipeline, a real SQLite file.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { WAMessage, WASocket } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Store } from '../../src/store/store.js';
import { DEFAULT_PACING, WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { offlineSocket, silentServer, waMessage } from '../helpers/baileys.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';
import { report, until } from './support.js';

afterAll(removeTempDirs);

/**
 * The transcript tells what happened in order: the customer's messages as sent, the bot's replies as sent, and each
 * reply after the message it answers. A burst's later messages are recorded as they arrive, before the replies to
 * the first (in, in, in, out, out, out is as right as in, out, in, out, in, out).
 */
function transcriptInOrder(transcript: string[], inbound: string[], replies: string[]): boolean {
  const position = (entry: string): number => transcript.indexOf(entry);
  const ins = inbound.map((text) => position(`in:${text}`));
  const outs = replies.map((text) => position(`out:${text}`));
  return (
    transcript.length === inbound.length + replies.length &&
    [...ins, ...outs].every((at) => at >= 0) &&
    ins.every((at, i) => i === 0 || at > ins[i - 1]!) &&
    outs.every((at, i) => at > ins[i]! && (i === 0 || at > outs[i - 1]!))
  );
}

const FLOWS = flowsFrom(`
fallback: unknown
flows:
  order:
    triggers: [halo]
    steps:
      - ask: "Siapa nama Anda?"
        save: customer.name
      - ask: "Berapa banyak, {{customer.name}}?"
        save: qty
        expect: number
      - say: "Dicatat: {{qty}} untuk {{customer.name}}"
  unknown: { steps: [ { say: "Maaf, ketik halo" } ] }
`);

type Style = 'answers at once, inside the send' | 'answers on the next tick' | 'burst in one upsert' | 'burst in three upserts';
const STYLES: Style[] = ['answers at once, inside the send', 'answers on the next tick', 'burst in one upsert', 'burst in three upserts'];

interface Customer {
  chat: string;
  style: Style;
  name: string;
  qty: string;
  /** What the customer's phone received, in order. */
  received: string[];
}

const expectedTexts = (c: Customer): string[] => ['Siapa nama Anda?', `Berapa banyak, ${c.name}?`, `Dicatat: ${c.qty} untuk ${c.name}`];

describe('fast customers', () => {
  it('1,000 customers answering within a millisecond or writing three messages at once: every message handled, in order', async () => {
    const server = await silentServer();
    const socket: WASocket = offlineSocket(server.url);
    const store = Store.open(join(tempDir(), 'setia.db'));
    const gateway = new WhatsAppGateway({ log: silentLog, clock: () => MONDAY_10AM, pacing: { ...DEFAULT_PACING, msPerChar: 0 } });
    const pipeline = new Pipeline({ store, transport: gateway, flows: () => FLOWS, clock: () => MONDAY_10AM, random: () => 0, log: silentLog });
    gateway.onInbound((m) => pipeline.handleInbound(m));
    gateway.attach(socket);
    gateway.setConnected(true);
    const started = Date.now();

    const customers = new Map<string, Customer>();
    for (let i = 0; i < 1_000; i++) {
      const chat = `62814${String(i).padStart(7, '0')}@s.whatsapp.net`;
      customers.set(chat, { chat, style: STYLES[i % STYLES.length]!, name: `Pelanggan-${i}`, qty: String((i % 9) + 1), received: [] });
    }
    const message = (c: Customer, text: string): WAMessage => waMessage(c.chat, { conversation: text }, { pushName: c.name });
    const say = (c: Customer, ...texts: string[]): void => void socket.ev.emit('messages.upsert', { messages: texts.map((t) => message(c, t)), type: 'notify' });

    // The customers' phones: a question arrives and the answer goes back within the millisecond.
    const answerDelays: number[] = [];
    socket.sendPresenceUpdate = async () => undefined;
    socket.readMessages = async () => undefined;
    socket.sendMessage = (async (jid: string, content: { text: string }) => {
      const c = customers.get(jid)!;
      c.received.push(content.text);
      const answer = content.text === 'Siapa nama Anda?' ? c.name : content.text.startsWith('Berapa banyak') ? c.qty : undefined;
      if (answer !== undefined && c.style.startsWith('answers')) {
        const receivedAt = performance.now();
        const reply = (): void => {
          answerDelays.push(performance.now() - receivedAt);
          say(c, answer);
        };
        if (c.style === 'answers at once, inside the send') reply(); // before the bot's send has even returned
        else setImmediate(reply);
      }
      await new Promise((resolve) => setImmediate(resolve)); // the socket's write completing, as a real one yields
      return undefined;
    }) as never;

    for (const c of customers.values()) {
      if (c.style === 'burst in one upsert') say(c, 'halo', c.name, c.qty);
      else if (c.style === 'burst in three upserts') {
        say(c, 'halo');
        say(c, c.name);
        say(c, c.qty);
      } else say(c, 'halo');
    }
    const done = (): boolean => [...customers.values()].every((c) => c.received.length >= 3);
    await until('every customer has had three replies', async () => {
      await gateway.drained();
      await pipeline.idle();
      return done();
    }, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for anything extra to show up
    await pipeline.idle();

    const perStyle = new Map<Style, { customers: number; ok: number }>();
    const wrong: string[] = [];
    let inboundHandled = 0;
    let inOrder = 0;
    for (const c of customers.values()) {
      const customer = store.customers.get(c.chat)!;
      const transcript = store.messages.transcript(customer.rowId).map((m) => `${m.direction}:${m.text}`);
      const expected = expectedTexts(c);
      const ordered = transcriptInOrder(transcript, ['halo', c.name, c.qty], expected);
      inboundHandled += transcript.filter((t) => t.startsWith('in:')).length;
      const ok = JSON.stringify(c.received) === JSON.stringify(expected) && ordered && customer.name === c.name && String(customer.vars.qty) === c.qty;
      if (ordered) inOrder++;
      const tally = perStyle.get(c.style) ?? { customers: 0, ok: 0 };
      tally.customers++;
      if (ok) tally.ok++;
      else if (wrong.length < 5) wrong.push(`${c.chat} (${c.style}): received ${JSON.stringify(c.received)}; transcript ${JSON.stringify(transcript)}; name ${customer.name}; qty ${JSON.stringify(customer.vars.qty)}`);
      perStyle.set(c.style, tally);
    }
    const sorted = [...answerDelays].sort((a, b) => a - b);
    const fastAnswers = sorted.filter((ms) => ms <= 1).length;

    report('fast customers: 1,000 customers, 3,000 messages', {
      ...Object.fromEntries([...perStyle].map(([style, t]) => [`${style}`, `${t.ok} / ${t.customers} customers handled completely and in order`])),
      'messages sent by customers': 3_000,
      'messages recorded': inboundHandled,
      'messages dropped': 3_000 - inboundHandled,
      'transcripts in order': `${inOrder} / 1000`,
      'answers sent on receiving a question': `${answerDelays.length} (${fastAnswers} within 1 ms of the question; median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(3)} ms, max ${sorted.at(-1)?.toFixed(3)} ms)`,
      'seconds': ((Date.now() - started) / 1000).toFixed(1),
    });

    pipeline.stop();
    socket.end(undefined);
    store.close();
    await server.close();

    expect(wrong).toEqual([]);
    expect(inboundHandled).toBe(3_000);
    expect(answerDelays).toHaveLength(1_000); // 500 customers, two questions each
  });
});
