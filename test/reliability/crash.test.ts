/**
 * Crash: a bot process handling a burst of 2,000 customer messages is SIGKILLed at random moments and started again.
 * Afterwards every message has exactly one reply, recorded once and sent, in order per chat, and the database is
 * intact. The bot runs the production pipeline behind the real gateway on a real Baileys socket
 * (test/fixtures/reliability-crash-child.ts); "WhatsApp" is played by this process: it delivers again what it was
 * not told was delivered (acknowledged once handled: the model the outbox design assumes), and reads what the bot
 * sent from a wire file the child writes synchronously. A second scenario acknowledges on arrival, as Baileys really
 * does: no message may be lost then either.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { seededRandom } from '../../src/core/seeded-random.js';
import { report, runSeed } from './support.js';

afterAll(removeTempDirs);

const FIXTURE = 'test/fixtures/reliability-crash-child.ts';

interface InboxMessage {
  id: string;
  chat: string;
  text: string;
}

interface WireLine {
  id: string;
  chat: string;
  text: string;
  /** The bot process that sent it. */
  pid: number;
}

/** `chats` customers each writing `perChat` messages, interleaved as they would arrive. */
function burst(chats: number, perChat: number, tag: string): InboxMessage[] {
  const messages: InboxMessage[] = [];
  for (let n = 1; n <= perChat; n++) {
    for (let c = 0; c < chats; c++) {
      const chat = `62813${String(c).padStart(7, '0')}@s.whatsapp.net`;
      messages.push({ id: `${tag}${String(c).padStart(4, '0')}N${String(n).padStart(2, '0')}`, chat, text: `pesan ${c} nomor ${n}` });
    }
  }
  return messages;
}

const readLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

interface RunResult {
  killed: boolean;
  /** Acknowledgements (this run) when the kill signal went out. */
  ackedAtKill: number;
  msAfterReady: number;
}

/**
 * Runs the bot once on what "WhatsApp" still holds for it. `killWhen` decides, on every progress line, whether to
 * kill now (after `jitterMs`); without it the run goes to the end (DONE).
 */
function runChild(
  dbPath: string,
  dir: string,
  options: { ackModel: 'handled' | 'received'; pacing: 'off' | 'default'; type: 'notify' | 'append'; killWhen?: (acked: number, msAfterReady: number) => boolean; killAfterReadyMs?: number; jitterMs?: number },
): Promise<RunResult> {
  const acked = new Set(readLines(join(dir, 'acks.log')));
  const all = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as InboxMessage[];
  writeFileSync(join(dir, 'inbox.json'), JSON.stringify(all.filter((m) => !acked.has(m.id))));
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dbPath, dir, options.ackModel, options.pacing, options.type]);
  return new Promise((resolve, reject) => {
    let output = '';
    let readyAt = 0;
    let ackedNow = 0;
    let result: RunResult | undefined;
    const kill = (): void => {
      if (result) return;
      result = { killed: true, ackedAtKill: ackedNow, msAfterReady: Date.now() - readyAt };
      setTimeout(() => child.kill('SIGKILL'), options.jitterMs ?? 0);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (line === 'READY') {
          readyAt = Date.now();
          if (options.killAfterReadyMs !== undefined) setTimeout(kill, options.killAfterReadyMs);
        }
        const ackLine = /^ACK (\d+)$/.exec(line);
        if (ackLine) ackedNow = Number(ackLine[1]);
        if (options.killWhen?.(ackedNow, Date.now() - readyAt)) kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && result) return resolve(result);
      // Finished before a planned kill landed: not a kill.
      if (code === 0 && /DONE/.test(output)) return resolve({ ...(result ?? { ackedAtKill: ackedNow, msAfterReady: Date.now() - readyAt }), killed: false });
      reject(new Error(`the bot exited (code ${code}, signal ${signal}) unexpectedly:\n${output.slice(-3_000)}`));
    });
  });
}

interface Outcome {
  integrity: string;
  inbound: Map<string, number>;
  replies: Array<{ waId: string; chat: string; text: string; status: string }>;
  wire: WireLine[];
}

function inspect(dbPath: string, dir: string): Outcome {
  const store = Store.open(dbPath);
  try {
    const integrity = store.db.pragma('integrity_check', { simple: true }) as string;
    const inbound = new Map<string, number>();
    for (const row of store.db.prepare(`SELECT wa_id AS id FROM messages WHERE direction = 'in'`).all() as Array<{ id: string }>) {
      inbound.set(row.id, (inbound.get(row.id) ?? 0) + 1);
    }
    const replies = store.db
      .prepare(`SELECT m.wa_id AS waId, c.wa_id AS chat, m.text, m.status FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.direction = 'out' ORDER BY m.id`)
      .all() as Outcome['replies'];
    const wire = readLines(join(dir, 'wire.log')).map((line) => JSON.parse(line) as WireLine);
    return { integrity, inbound, replies, wire };
  } finally {
    store.close();
  }
}

describe('crash: SIGKILL at random moments while handling a burst', () => {
  it('2,000 messages, at least 5 kills: every message answered exactly once, in order per chat, database intact', async () => {
    const seed = runSeed();
    const random = seededRandom(seed);
    const dir = tempDir();
    const dbPath = join(dir, 'setia.db');
    const all = burst(200, 10, 'CRASH');
    writeFileSync(join(dir, 'all.json'), JSON.stringify(all));
    const started = Date.now();

    // Kill 1 at a random moment just after start-up (flushing the outbox, the first batches).
    const runs: RunResult[] = [];
    runs.push(await runChild(dbPath, dir, { ackModel: 'handled', pacing: 'off', type: 'notify', killAfterReadyMs: Math.floor(random() * 40), jitterMs: 0 }));
    // Five more kills, each when a random share of what is left has been handled (plus a few random milliseconds).
    for (let attempt = 0; runs.filter((r) => r.killed).length < 6 && attempt < 12; attempt++) {
      const left = all.length - readLines(join(dir, 'acks.log')).length;
      if (left < 50) break;
      const needed = 1 + Math.floor(random() * random() * (left - 40)); // skewed towards early: more kills land
      runs.push(await runChild(dbPath, dir, { ackModel: 'handled', pacing: 'off', type: 'append', killWhen: (acked) => acked >= needed, jitterMs: Math.floor(random() * 8) }));
    }
    const final = await runChild(dbPath, dir, { ackModel: 'handled', pacing: 'off', type: 'append' });

    const { integrity, inbound, replies, wire } = inspect(dbPath, dir);
    const expectedReply = new Map(all.map((m) => [`balasan untuk ${m.text}`, m]));
    const repliesByText = new Map<string, number>();
    for (const r of replies) repliesByText.set(r.text, (repliesByText.get(r.text) ?? 0) + 1);
    const lost = all.filter((m) => !inbound.has(m.id));
    const unanswered = all.filter((m) => !repliesByText.has(`balasan untuk ${m.text}`));
    const doubledReplies = [...repliesByText.values()].filter((n) => n > 1).length;
    const strayReplies = replies.filter((r) => !expectedReply.has(r.text)).length;
    const notSent = replies.filter((r) => r.status !== 'sent').length;

    // The wire: what left the machine. The same id twice is one message to WhatsApp (a retry), two ids would be two.
    const byId = new Map<string, WireLine>();
    for (const line of wire) if (!byId.has(line.id)) byId.set(line.id, line);
    const resentSameId = wire.length - byId.size;
    const resentByOneProcess = wire.length - new Set(wire.map((w) => `${w.pid} ${w.id}`)).size;
    const recorded = new Map(replies.map((r) => [r.waId, r]));
    const sentNotRecorded = [...byId.values()].filter((w) => recorded.get(w.id)?.text !== w.text).length;
    const deliveredPerInbound = new Map<string, number>();
    for (const w of byId.values()) deliveredPerInbound.set(w.text, (deliveredPerInbound.get(w.text) ?? 0) + 1);
    const doubledOnWire = [...deliveredPerInbound.values()].filter((n) => n > 1).length;
    const missingOnWire = all.filter((m) => !deliveredPerInbound.has(`balasan untuk ${m.text}`)).length;
    // Order per chat: the first time each reply left, per chat, follows the order the customer wrote in.
    const order = new Map<string, number[]>();
    for (const w of byId.values()) {
      const n = Number(/nomor (\d+)$/.exec(w.text)?.[1]);
      order.set(w.chat, [...(order.get(w.chat) ?? []), n]);
    }
    const chatsOutOfOrder = [...order.values()].filter((ns) => ns.some((n, i) => i > 0 && n < ns[i - 1]!)).length;
    const kills = runs.filter((r) => r.killed);

    report('crash: SIGKILL during a burst of 2,000 messages', {
      seed,
      'messages in the burst': `${all.length} (200 chats x 10)`,
      'bot processes started': runs.length + 1,
      'SIGKILLs': `${kills.length} (acks this run at the kill: ${kills.map((k) => k.ackedAtKill).join(', ')}; ms after ready: ${kills.map((k) => k.msAfterReady).join(', ')})`,
      'final run ran to the end': !final.killed,
      'messages recorded once': `${[...inbound.values()].filter((n) => n === 1).length} / ${all.length}`,
      'messages lost': lost.length,
      'messages with no reply': unanswered.length,
      'replies recorded twice': doubledReplies,
      'replies not for a message': strayReplies,
      'replies not marked sent': notSent,
      'replies on the wire (distinct ids)': byId.size,
      'same id sent again after a kill': `${resentSameId} (killed between the send and marking it sent; one per busy chat at most; WhatsApp taking a repeated id once is assumed, not tested)`,
      'same id sent twice by one process': resentByOneProcess,
      'two different ids for one reply': doubledOnWire,
      'replies never sent': missingOnWire,
      'sent but not as recorded': sentNotRecorded,
      'chats out of order': `${chatsOutOfOrder} / ${order.size}`,
      'PRAGMA integrity_check': integrity,
      'seconds': ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(kills.length).toBeGreaterThanOrEqual(5);
    expect(integrity).toBe('ok');
    expect(lost).toEqual([]);
    expect([...inbound.values()].every((n) => n === 1)).toBe(true);
    expect(unanswered).toEqual([]);
    expect(doubledReplies).toBe(0);
    expect(strayReplies).toBe(0);
    expect(notSent).toBe(0);
    expect(doubledOnWire).toBe(0);
    expect(resentByOneProcess).toBe(0);
    expect(resentSameId).toBeLessThanOrEqual(kills.length * 200); // only what was in flight at each kill: one per chat
    expect(missingOnWire).toBe(0);
    expect(sentNotRecorded).toBe(0);
    expect(chatsOutOfOrder).toBe(0);
  });

  /*
   * Baileys sends WhatsApp the delivery receipt for a message before it emits `messages.upsert`
   * (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js, handleMessage: sendReceipt, then
   * upsertMessage), so WhatsApp never delivers that message again. A chat's turn waits until its previous reply
   * was sent, "typing…" pacing included (0.6–4 s plus 0.5 s per reply), so the pipeline writes a message down on
   * arrival when its chat is busy (bug 1 in docs/reliability.md, fixed). The scenario runs once (beforeAll): each
   * message is acknowledged when it reaches the gateway, as Baileys does; a SIGKILL 1.5 s into the burst; a restart.
   */
  describe('a SIGKILL while replies are being typed, messages acknowledged on arrival as Baileys does', () => {
    const all = burst(40, 3, 'ACKD');
    let killed: RunResult | undefined;
    let outcome: Outcome | undefined;

    beforeAll(async () => {
      const dir = tempDir();
      const dbPath = join(dir, 'setia.db');
      writeFileSync(join(dir, 'all.json'), JSON.stringify(all));
      killed = await runChild(dbPath, dir, { ackModel: 'received', pacing: 'default', type: 'notify', killAfterReadyMs: 1_500 });
      await runChild(dbPath, dir, { ackModel: 'received', pacing: 'off', type: 'append' });
      outcome = inspect(dbPath, dir);
      report('crash: messages acknowledged on arrival (as Baileys does), SIGKILL 1.5 s into a burst', {
        'messages in the burst': `${all.length} (40 chats x 3, production typing pacing)`,
        'SIGKILLs': killed.killed ? 1 : 0,
        'acknowledged to WhatsApp before the kill': killed.ackedAtKill,
        'messages recorded': outcome.inbound.size,
        'messages lost (never delivered again)': all.filter((m) => !outcome!.inbound.has(m.id)).length,
        'replies sent': outcome.replies.filter((r) => r.status === 'sent').length,
        'PRAGMA integrity_check': outcome.integrity,
      });
    });

    it('the scenario ran: killed after WhatsApp had every message acknowledged; the restart finished; database intact', () => {
      expect(killed?.killed).toBe(true);
      expect(killed?.ackedAtKill).toBe(all.length);
      expect(outcome?.integrity).toBe('ok');
      expect(outcome?.replies.every((r) => r.status === 'sent')).toBe(true);
    });

    it('messages acknowledged by Baileys but still queued behind a reply being typed survive a crash and are answered', () => {
      expect(all.filter((m) => !outcome!.inbound.has(m.id))).toEqual([]);
    });
  });
});
