/**
 * Pictures and files from flows, end to end: a customer message through Baileys' event path, the reply with a
 * picture through the outbox, and Baileys' sendMessage given the file's bytes, type and caption.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WASocket } from '@whiskeysockets/baileys';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Store } from '../../src/store/store.js';
import { WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { offlineSocket, silentServer, waMessage } from '../helpers/baileys.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

const FLOWS = flowsFrom(`
fallback: menu
flows:
  pay:
    triggers: [bayar]
    steps:
      - image: data/qris.png
        caption: "Scan QRIS ini ya, Kak."
  price_list:
    triggers: [katalog]
    steps:
      - document: data/katalog.pdf
  menu: { steps: [ { say: "Ketik bayar atau katalog" } ] }
`);

const PN = '6281234567890@s.whatsapp.net';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

interface Sent {
  jid: string;
  content: Record<string, unknown>;
  messageId: string;
}

let server: Awaited<ReturnType<typeof silentServer>>;
let root: string;
let store: Store;
let socket: WASocket;
let gateway: WhatsAppGateway;
let pipeline: Pipeline;
let sent: Sent[];
let failNext: Error | undefined;

beforeAll(async () => {
  server = await silentServer();
});
afterAll(() => server.close());

beforeEach(() => {
  root = tempDir();
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'qris.png'), PNG);
  writeFileSync(join(root, 'data', 'katalog.pdf'), '%PDF-1.4');
  store = Store.open(join(root, 'data', 'setia.db'));
  gateway = new WhatsAppGateway({ log: silentLog, clock: () => MONDAY_10AM, wait: async () => undefined });
  pipeline = new Pipeline({ store, transport: gateway, flows: () => FLOWS, clock: () => MONDAY_10AM, random: () => 0, log: silentLog, mediaRoot: root, retrySendingMs: 3_600_000 });
  gateway.onInbound((m) => pipeline.handleInbound(m));
  socket = offlineSocket(server.url);
  gateway.attach(socket);
  sent = [];
  failNext = undefined;
  // The socket's network side is replaced by a recorder: there is no WhatsApp server here.
  socket.sendPresenceUpdate = async () => undefined;
  socket.sendMessage = (async (jid: string, content: Record<string, unknown>, options: { messageId: string }) => {
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    sent.push({ jid, content, messageId: options.messageId });
    return undefined;
  }) as never;
  gateway.setConnected(true);
});
afterEach(() => {
  socket.end(undefined);
  store.close();
});
afterAll(removeTempDirs);

async function customerWrites(text: string): Promise<void> {
  socket.ev.emit('messages.upsert', { messages: [waMessage(PN, { conversation: text })], type: 'notify' });
  await new Promise((r) => setImmediate(r));
  await gateway.drained();
  await pipeline.idle();
}

function outbound(): Array<{ kind: string; text: string; mediaPath: string | null; status: string }> {
  return store.messages.transcript(store.customers.get(PN)!.rowId).filter((m) => m.direction === 'out').map(({ kind, text, mediaPath, status }) => ({ kind, text, mediaPath, status }));
}

describe('pictures and files from flows, through Baileys', () => {
  it('sends the picture with its bytes, type and caption under the id the outbox recorded', async () => {
    await customerWrites('mau bayar kak');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.jid).toBe(PN);
    expect(sent[0]!.content).toEqual({ image: PNG, mimetype: 'image/png', caption: 'Scan QRIS ini ya, Kak.' });
    expect(outbound()).toEqual([{ kind: 'image', text: 'Scan QRIS ini ya, Kak.', mediaPath: 'data/qris.png', status: 'sent' }]);
    expect(store.messages.transcript(store.customers.get(PN)!.rowId).at(-1)!.waId).toBe(sent[0]!.messageId);
  });

  it('sends a document with its file name', async () => {
    await customerWrites('katalog');
    expect(sent[0]!.content).toEqual({ document: Buffer.from('%PDF-1.4'), mimetype: 'application/pdf', fileName: 'katalog.pdf' });
  });

  it('sends a picture exactly once when the first try fails for a passing reason', async () => {
    failNext = Object.assign(new Error('timed out'), { output: { statusCode: 408 } });
    await customerWrites('bayar');
    expect(sent).toHaveLength(0);
    expect(outbound()[0]!.status).toBe('pending');
    await pipeline.flushAll(); // as on reconnect
    await pipeline.flushAll();
    expect(sent.map((s) => Object.keys(s.content).sort().join(','))).toEqual(['caption,image,mimetype']);
    expect(outbound()[0]!.status).toBe('sent');
  });

  it('sends the caption as text when the file vanished before it went out, and fails a captionless file without crashing', async () => {
    gateway.setConnected(false);
    await customerWrites('bayar');
    await customerWrites('katalog');
    rmSync(join(root, 'data', 'qris.png'));
    rmSync(join(root, 'data', 'katalog.pdf'));
    gateway.setConnected(true);
    await pipeline.flushAll();
    expect(sent.map((s) => s.content)).toEqual([{ text: 'Scan QRIS ini ya, Kak.' }]);
    expect(outbound().map((m) => m.status)).toEqual(['sent', 'failed']);
  });
});
