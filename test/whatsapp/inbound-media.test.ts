/**
 * Customers' photos and files are kept in the shop folder (data/media/inbound/) and recorded with their message,
 * through Baileys' event path on a real socket. There is no WhatsApp media server here: the gateway's download
 * seam hands over the bytes WhatsApp would stream.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { WAMessage, WASocket } from '@whiskeysockets/baileys';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pino } from 'pino';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Store } from '../../src/store/store.js';
import { WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { MAX_INBOUND_BYTES } from '../../src/whatsapp/inbound-media.js';
import { offlineSocket, waMessage } from '../helpers/baileys.js';
import { flowsFrom, MONDAY_10AM } from '../helpers/engine.js';
import { silentServerPerFile } from '../helpers/silent-server.js';
import { tempDir } from '../helpers/temp.js';

const FLOWS = flowsFrom('fallback: echo\nflows:\n  echo: { steps: [ { say: "Terima kasih, Kak." } ] }\n');
const PN = '6281234567890@s.whatsapp.net';
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 a customer photo of a torn parcel', 'latin1');

const serverUrl = silentServerPerFile();
let shop: string;
let store: Store;
let socket: WASocket;
let downloads: string[];
let failDownload: boolean;
let logLines: string[];

beforeEach(() => {
  shop = tempDir();
  store = Store.open(join(shop, 'data', 'setia.db'));
  downloads = [];
  failDownload = false;
  logLines = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  const download = async (raw: WAMessage): Promise<AsyncIterable<Uint8Array>> => {
    downloads.push(raw.key.id!);
    if (failDownload) throw new Error('media link expired');
    return Readable.from([PHOTO.subarray(0, 10), PHOTO.subarray(10)]);
  };
  const gateway = new WhatsAppGateway({ log, clock: () => MONDAY_10AM, wait: async () => undefined, inboundMedia: { root: shop, download } });
  const pipeline = new Pipeline({ store, transport: gateway, flows: () => FLOWS, clock: () => MONDAY_10AM, random: () => 0, log });
  gateway.onInbound(async (m) => {
    await pipeline.handleInbound(m);
    await pipeline.idle();
  });
  socket = offlineSocket(serverUrl());
  gateway.attach(socket);
  deliver = async (...messages) => {
    socket.ev.emit('messages.upsert', { messages, type: 'notify' });
    await new Promise((resolve) => setImmediate(resolve));
    await gateway.drained();
    await pipeline.idle();
  };
});
afterEach(() => {
  socket.end(undefined);
  store.close();
});

let deliver: (...messages: WAMessage[]) => Promise<void>;

const photo = (id: string, extra: { fileLength?: number } = {}): WAMessage =>
  waMessage(PN, { imageMessage: { caption: 'paketnya sobek kak', mimetype: 'image/jpeg', fileLength: extra.fileLength ?? PHOTO.length } }, { key: { id } });

function inbound(): Array<{ kind: string; text: string; mediaPath: string | null }> {
  const customer = store.customers.get(PN);
  if (!customer) return [];
  return store.messages.transcript(customer.rowId).filter((m) => m.sender === 'customer').map(({ kind, text, mediaPath }) => ({ kind, text, mediaPath }));
}

const kept = (): string[] => (existsSync(join(shop, 'data/media/inbound')) ? readdirSync(join(shop, 'data/media/inbound')) : []);

describe("customers' photos and files", () => {
  it('keeps a photo under data/media/inbound/ with its message, once however often WhatsApp delivers it', async () => {
    await deliver(photo('3EB0PHOTO1'));
    await deliver(photo('3EB0PHOTO1'));
    expect(inbound()).toEqual([{ kind: 'image', text: 'paketnya sobek kak', mediaPath: 'data/media/inbound/3EB0PHOTO1.jpg' }]);
    expect(readFileSync(join(shop, 'data/media/inbound/3EB0PHOTO1.jpg'))).toEqual(PHOTO);
    expect(kept()).toEqual(['3EB0PHOTO1.jpg']);
    expect(downloads).toEqual(['3EB0PHOTO1']);
  });

  it('keeps a document under its type, a PDF as .pdf', async () => {
    await deliver(waMessage(PN, { documentMessage: { fileName: 'bukti transfer.pdf', mimetype: 'application/pdf', caption: 'bukti tf' } }, { key: { id: '3EB0DOC1' } }));
    expect(inbound()).toEqual([{ kind: 'document', text: 'bukti tf', mediaPath: 'data/media/inbound/3EB0DOC1.pdf' }]);
  });

  it('records the message with its caption when the download fails, and says so in the log', async () => {
    failDownload = true;
    await deliver(photo('3EB0PHOTO2'));
    expect(inbound()).toEqual([{ kind: 'image', text: 'paketnya sobek kak', mediaPath: null }]);
    expect(kept()).toEqual([]);
    expect(logLines.join('')).toMatch(/"messageId":"3EB0PHOTO2".*was not kept \(media link expired\); the message is recorded without it/);
  });

  it('leaves a file over 16 MB on the phone without fetching it, and records the message', async () => {
    await deliver(photo('3EB0BIG', { fileLength: MAX_INBOUND_BYTES + 1 }));
    expect(inbound()).toEqual([{ kind: 'image', text: 'paketnya sobek kak', mediaPath: null }]);
    expect(downloads).toEqual([]);
    expect(logLines.join('')).toMatch(/was not kept \(it is over 16 MB\)/);
  });
});
