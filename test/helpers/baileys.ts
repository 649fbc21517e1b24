/**
 * A real Baileys socket that can never connect (its WebSocket URL is unreachable), so a test can feed it
 * messages through the same event path the live socket uses: sock.ev.emit('messages.upsert', …).
 */
import makeWASocket, { initAuthCreds, proto, type SignalDataSet, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { pino } from 'pino';

/**
 * A local TCP server that accepts connections and never answers: a socket pointed at it stays "connecting"
 * (alive, listening to its events) instead of failing at once and shedding its listeners.
 */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const held: Socket[] = [];
  const server = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () => {
      held.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function offlineSocket(url: string): WASocket {
  const keys: Record<string, Record<string, unknown>> = {};
  return makeWASocket({
    auth: {
      creds: initAuthCreds(),
      keys: {
        get: async (type, ids) => Object.fromEntries(ids.filter((id) => keys[type]?.[id] !== undefined).map((id) => [id, keys[type]![id]])) as never,
        set: async (data: SignalDataSet) => {
          for (const [type, values] of Object.entries(data)) Object.assign((keys[type] ??= {}), values);
        },
      },
    },
    waWebSocketUrl: url,
    logger: pino({ level: 'silent' }) as never,
    markOnlineOnConnect: false,
    syncFullHistory: false,
    connectTimeoutMs: 120_000,
  });
}

let counter = 0;

/** A message as WhatsApp delivers it, built with Baileys' own protobuf types. */
export function waMessage(remoteJid: string, message: proto.IMessage, extra: Omit<Partial<proto.IWebMessageInfo>, 'key'> & { key?: Partial<proto.IMessageKey> & { remoteJidAlt?: string } } = {}): WAMessage {
  const { key, ...rest } = extra;
  const built = proto.WebMessageInfo.fromObject({
    key: { remoteJid, fromMe: false, id: `3EB0${(++counter).toString(16).toUpperCase().padStart(16, '0')}`, ...key },
    message,
    messageTimestamp: 1795400000,
    pushName: 'Sari',
    ...rest,
  }) as WAMessage;
  // remoteJidAlt is Baileys' own addition to the key, not part of the protobuf.
  if (key && 'remoteJidAlt' in key) built.key.remoteJidAlt = (key as { remoteJidAlt?: string }).remoteJidAlt;
  return built;
}
