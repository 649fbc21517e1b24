import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import makeWASocket, { DisconnectReason, type UserFacingSocketConfig, type WASocket } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import { pino } from 'pino';
import { Store } from '../../src/store/store.js';
import { sqliteAuthState } from '../../src/whatsapp/auth-state.js';
import { baileysLogLevel, WhatsAppConnection } from '../../src/whatsapp/connection.js';
import { afterClose, backoffDelay } from '../../src/whatsapp/disconnect.js';
import { WhatsAppGateway } from '../../src/whatsapp/gateway.js';
import { silentServer } from '../helpers/baileys.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

describe('after a close', () => {
  it('reconnects at once after 515, relinks after 401, stops after 440 and 403, backs off otherwise', () => {
    expect(afterClose(DisconnectReason.restartRequired, 5, () => 0.5)).toMatchObject({ action: 'reconnect', delayMs: 0 });
    expect(afterClose(DisconnectReason.loggedOut, 0, () => 0.5)).toMatchObject({ action: 'relink' });
    expect(afterClose(DisconnectReason.connectionReplaced, 0, () => 0.5)).toMatchObject({ action: 'stop', reason: expect.stringMatching(/another WhatsApp Web session/) });
    expect(afterClose(DisconnectReason.forbidden, 0, () => 0.5)).toMatchObject({ action: 'stop', reason: expect.stringMatching(/banned/) });
    expect(afterClose(undefined, 0, () => 1)).toMatchObject({ action: 'reconnect', delayMs: 1_000 });
    expect(afterClose(DisconnectReason.timedOut, 3, () => 0)).toMatchObject({ action: 'reconnect', delayMs: 4_000 });
  });

  it('backs off exponentially from 1 s to 60 s, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect([0, 6].map((a) => backoffDelay(a, () => 0))).toEqual([500, 30_000]);
  });
});

it("Baileys' log shows warnings at LOG_LEVEL info, everything at debug or trace, and nothing below LOG_LEVEL", () => {
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
  expect(levels.map((level) => baileysLogLevel(pino({ level })))).toEqual(['trace', 'debug', 'warn', 'warn', 'error', 'fatal', 'silent']);
});

describe('connection lifecycle on real Baileys sockets', () => {
  let server: Awaited<ReturnType<typeof silentServer>>;
  let store: Store;
  let sockets: WASocket[];
  let configs: UserFacingSocketConfig[];
  let delays: number[];
  let events: string[];
  let connection: WhatsAppConnection;
  let gateway: WhatsAppGateway;

  beforeAll(async () => {
    server = await silentServer();
  });
  afterAll(async () => {
    await server.close();
    removeTempDirs();
  });

  beforeEach(() => {
    store = Store.open(join(tempDir(), 'setia.db'));
    sockets = [];
    configs = [];
    delays = [];
    events = [];
    gateway = new WhatsAppGateway({ log: silentLog, clock: () => 1_000 });
    connection = new WhatsAppConnection({
      db: store.db,
      gateway,
      status: store.waStatus,
      sentText: (id) => (id === 'KNOWN' ? 'Halo Kak' : undefined),
      clock: () => 5_000,
      log: silentLog,
      waWebSocketUrl: server.url,
      random: () => 1,
      schedule: (run, ms) => {
        delays.push(ms);
        run();
      },
      createSocket: (config: UserFacingSocketConfig) => {
        configs.push(config);
        const socket = makeWASocket({ ...config, connectTimeoutMs: 120_000 });
        sockets.push(socket);
        return socket;
      },
      onQr: (qr) => events.push(`qr:${qr}`),
      onPairingCode: (code) => events.push(`code:${code}`),
      onOpen: () => events.push('open'),
      onStop: (reason) => events.push(`stop:${reason.slice(0, 20)}`),
    });
    connection.start();
  });
  afterEach(() => {
    connection.stop();
    sockets.forEach((s) => s.end(undefined));
    store.close();
  });

  const close = (code?: number): void => {
    const error = Object.assign(new Error('closed'), code === undefined ? {} : { output: { statusCode: code } });
    sockets.at(-1)!.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  };

  it('shows the QR, and on open reports connected and flushes', () => {
    sockets[0]!.ev.emit('connection.update', { qr: 'QR-DATA' });
    sockets[0]!.ev.emit('connection.update', { connection: 'open' });
    expect(events).toEqual(['qr:QR-DATA', 'open']);
    expect(gateway.status().connected).toBe(true);
    expect(store.waStatus.get()).toMatchObject({ connected: true, since: 5_000 });
  });

  it('builds a new socket after each transient close, backing off, and resets after it opens', () => {
    close();
    close(DisconnectReason.connectionLost);
    close(DisconnectReason.timedOut);
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    expect(sockets).toHaveLength(4);
    expect(gateway.status().connected).toBe(false);
    sockets.at(-1)!.ev.emit('connection.update', { connection: 'open' });
    close(DisconnectReason.connectionClosed);
    expect(delays.at(-1)).toBe(1_000);
  });

  it('builds sockets that keep the phone notifying, skip broadcasts, and answer retry requests from the store', async () => {
    const config = configs[0]!;
    expect(config).toMatchObject({ markOnlineOnConnect: false, syncFullHistory: false });
    expect((config.logger as unknown as { level: string }).level).toBe('silent'); // LOG_LEVEL silent silences Baileys too
    expect(config.shouldIgnoreJid!('status@broadcast')).toBe(true);
    expect(config.shouldIgnoreJid!('6281234567890@s.whatsapp.net')).toBe(false);
    expect((await config.getMessage!({ id: 'KNOWN' }))?.conversation).toBe('Halo Kak');
    expect(await config.getMessage!({ id: 'OTHER' })).toBeUndefined();
    close(DisconnectReason.restartRequired);
    expect(configs[1]!.msgRetryCounterCache).toBe(config.msgRetryCounterCache);
  });

  it('reconnects at once after 515 (restart required)', () => {
    close(DisconnectReason.restartRequired);
    expect(delays).toEqual([0]);
    expect(sockets).toHaveLength(2);
  });

  it('wipes the stored session after 401 and links again with a fresh one', () => {
    const auth = sqliteAuthState(store.db);
    auth.state.creds.me = { id: '6281234567890:3@s.whatsapp.net' };
    auth.saveCreds();
    close(DisconnectReason.loggedOut);
    expect(sqliteAuthState(store.db).isLinked()).toBe(false);
    expect(sockets).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it.each([
    [DisconnectReason.connectionReplaced, 'stop:another WhatsApp Web'],
    [DisconnectReason.forbidden, 'stop:WhatsApp refused thi'],
  ])('stops for good after %i, without a second socket fighting the first', (code, event) => {
    close(code);
    expect(events).toEqual([event]);
    expect(store.waStatus.get()).toMatchObject({ connected: false, lastDisconnect: expect.stringContaining(event.slice(5)) });
    expect(sockets).toHaveLength(1);
  });

  it('ignores the last words of a socket it already replaced', () => {
    const first = sockets[0]!;
    close(DisconnectReason.restartRequired);
    first.ev.emit('connection.update', { connection: 'open' });
    expect(events).toEqual([]);
  });
});
