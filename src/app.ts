/**
 * The composition root of `setia start`: configuration → store → flows → pipeline → WhatsApp → running bot.
 * Everything else receives what it needs as arguments.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { FlowRegistry } from './flows/registry.js';
import { Pipeline } from './pipeline/pipeline.js';
import { Handback } from './staff/handback.js';
import { acquireInstanceLock, HEARTBEAT_MS, type InstanceLock } from './store/instance-lock.js';
import { Store } from './store/store.js';
import { WhatsAppConnection } from './whatsapp/connection.js';
import { DEFAULT_PACING, WhatsAppGateway } from './whatsapp/gateway.js';
import { showPairingCode, showQr } from './whatsapp/linking.js';

export interface RunningBot {
  /** Resolves when WhatsApp gave up for good (see src/whatsapp/disconnect.ts), with the reason. */
  stopped: Promise<string>;
  /** Stops taking messages, finishes the ones in hand, closes everything. */
  stop(): Promise<void>;
}

/** Takes the database for this process, or closes it and says who has it. */
function lockDatabase(store: Store, dbPath: string, now: number): InstanceLock {
  try {
    return acquireInstanceLock(store.db, dbPath, now);
  } catch (error) {
    store.close();
    throw error;
  }
}

export function startBot(config: Config, log: Logger): RunningBot {
  const flows = FlowRegistry.load(config.flowsDir, log);
  const store = Store.open(config.dbPath);
  const clock = (): number => Date.now();
  const lock = lockDatabase(store, config.dbPath, clock());
  const heartbeat = setInterval(() => lock.heartbeat(), HEARTBEAT_MS).unref();
  const gateway = new WhatsAppGateway({ log, clock, pacing: { ...DEFAULT_PACING, msPerChar: config.typingMsPerChar } });
  const pipeline = new Pipeline({ store, transport: gateway, flows: () => flows.current(), clock, random: Math.random, log });
  const handback = new Handback(store, pipeline, clock, config.phonePauseMs);
  gateway.onInbound((message) => pipeline.handleInbound(message));
  gateway.onOwnMessage((message) => handback.ownMessage(message));

  let gaveUp: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (gaveUp = resolve));
  const connection = new WhatsAppConnection({
    db: store.db,
    gateway,
    status: store.waStatus,
    sentText: (id) => store.messages.sentText(id),
    clock,
    log,
    pairingNumber: config.pairingNumber,
    waWebSocketUrl: config.waWebSocketUrl,
    onQr: (qr) => showQr(qr),
    onPairingCode: (code) => showPairingCode(code),
    onOpen: () => void pipeline.flushAll(),
    onStop: gaveUp,
  });
  flows.watch();
  connection.start();
  log.info({ db: config.dbPath, flows: flows.current().flows.size }, 'Setia started; connecting to WhatsApp');

  return {
    stopped,
    async stop() {
      gateway.stopTaking();
      flows.close();
      await gateway.drained();
      await pipeline.idle(); // the messages in hand are answered and sent while the connection lasts
      connection.stop();
      pipeline.stop();
      clearInterval(heartbeat);
      lock.release();
      store.close();
    },
  };
}
