/**
 * The WhatsApp connection's life: build a socket on the stored session, link (QR or pairing code), and react to
 * every close as src/whatsapp/disconnect.ts decides. After `end()` a socket is dead, so every reconnect builds a
 * new one; the gateway outlives them.
 */
import makeWASocket, {
  isJidBroadcast, isJidNewsletter, makeCacheableSignalKeyStore, proto, type CacheStore, type ConnectionState, type UserFacingSocketConfig, type WASocket,
} from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Db } from '../store/database.js';
import type { WaStatusStore } from '../store/wa-status.js';
import { sqliteAuthState, type SqliteAuthState } from './auth-state.js';
import { afterClose, statusCode } from './disconnect.js';
import type { WhatsAppGateway } from './gateway.js';

export interface ConnectionOptions {
  db: Db;
  gateway: WhatsAppGateway;
  /** The text the shop sent under a message id: WhatsApp asks for it again when a recipient could not decrypt it. */
  sentText(messageId: string): string | undefined;
  /** Where the connection's state is written for `setia status`. */
  status: WaStatusStore;
  clock: () => number;
  log: Logger;
  /** Digits with country code: link with a pairing code instead of a QR. */
  pairingNumber?: string;
  onQr(qr: string): void;
  onPairingCode(code: string): void;
  /** Connected (again): time to send what waited in the outbox. */
  onOpen(): void;
  /** Gave up for good (see AfterClose 'stop'). */
  onStop(reason: string): void;
  random?: () => number;
  schedule?: (run: () => void, delayMs: number) => void;
  createSocket?: (config: UserFacingSocketConfig) => WASocket;
  /** Tests point this at a local server. */
  waWebSocketUrl?: string;
}

/** Retry counters must survive reconnects, or message retries start over on every new socket. */
function memoryCache(): CacheStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: (key, value) => void values.set(key, value),
    del: (key) => values.delete(key),
    flushAll: () => values.clear(),
  };
}

/** Baileys is chatty at info: its log shows warnings and worse, all of it at LOG_LEVEL debug or trace, nothing below LOG_LEVEL. */
export function baileysLogLevel(log: Pick<Logger, 'level' | 'levelVal' | 'levels'>): string {
  const { info, warn } = log.levels.values as Record<'info' | 'warn', number>;
  return log.levelVal < info || log.levelVal > warn ? log.level : 'warn';
}

export class WhatsAppConnection {
  private socket: WASocket | undefined;
  private attempt = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly retryCounters = memoryCache();
  private readonly baileysLog: Logger;

  constructor(private readonly options: ConnectionOptions) {
    this.baileysLog = options.log.child({ module: 'baileys' }, { level: baileysLogLevel(options.log) });
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket for good (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.end(undefined);
  }

  private connect(): void {
    if (this.stopped) return;
    const auth = sqliteAuthState(this.options.db);
    const create = this.options.createSocket ?? makeWASocket;
    const socket = create({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, this.baileysLog as never) },
      logger: this.baileysLog as never,
      markOnlineOnConnect: false, // the shop's phone keeps its notifications
      // No full history; the initial sync still runs, because Baileys 7 learns LID ↔ phone mappings from it.
      syncFullHistory: false,
      msgRetryCounterCache: this.retryCounters,
      getMessage: async (key) => {
        const text = key.id ? this.options.sentText(key.id) : undefined;
        return text === undefined ? undefined : proto.Message.fromObject({ conversation: text });
      },
      shouldIgnoreJid: (jid) => Boolean(isJidBroadcast(jid) || isJidNewsletter(jid)),
      ...(this.options.waWebSocketUrl ? { waWebSocketUrl: this.options.waWebSocketUrl } : {}),
    });
    this.socket = socket;
    socket.ev.on('creds.update', () => auth.saveCreds());
    this.options.gateway.attach(socket);
    socket.ev.on('connection.update', (update) => this.onUpdate(update, socket, auth));
  }

  private onUpdate(update: Partial<ConnectionState>, socket: WASocket, auth: SqliteAuthState): void {
    if (socket !== this.socket) return; // a replaced socket's last words
    if (update.qr) this.link(update.qr, socket, auth);
    if (update.connection === 'open') {
      this.attempt = 0;
      this.options.gateway.setConnected(true);
      this.options.status.opened(this.options.clock());
      this.options.log.info({ account: socket.user?.id }, 'WhatsApp connected');
      this.options.onOpen();
    }
    if (update.connection === 'close') this.onClose(update.lastDisconnect?.error, auth);
  }

  private link(qr: string, socket: WASocket, auth: SqliteAuthState): void {
    const number = this.options.pairingNumber;
    if (!number || auth.state.creds.registered) return this.options.onQr(qr);
    socket.requestPairingCode(number).then(
      (code) => this.options.onPairingCode(code),
      (error: unknown) => this.options.log.error({ err: error }, 'could not get a pairing code; check WA_PAIRING_NUMBER'),
    );
  }

  private onClose(error: unknown, auth: SqliteAuthState): void {
    this.options.gateway.setConnected(false);
    if (this.stopped) return;
    const decision = afterClose(statusCode(error), this.attempt, this.options.random ?? Math.random);
    const { log } = this.options;
    this.options.status.closed(this.options.clock(), decision.reason);
    if (decision.action === 'stop') {
      log.error(`WhatsApp: ${decision.reason}`);
      this.stopped = true;
      this.options.onStop(decision.reason);
      return;
    }
    if (decision.action === 'relink') {
      log.warn(`WhatsApp: ${decision.reason}`);
      auth.clear();
      this.attempt = 0;
      return this.connect();
    }
    if (decision.delayMs > 0) this.attempt++;
    log.warn({ attempt: this.attempt, retryInMs: decision.delayMs, err: (error as Error | undefined)?.message }, `WhatsApp: ${decision.reason}; reconnecting`);
    const schedule = this.options.schedule ?? ((run, ms) => (this.timer = setTimeout(run, ms)));
    schedule(() => this.connect(), decision.delayMs);
  }
}
