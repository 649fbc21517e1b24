/**
 * The composition root of `setia start`: configuration → store → flows → pipeline → WhatsApp → running bot.
 * Everything else receives what it needs as arguments.
 */
import { dirname, join } from 'node:path';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { CheckinPlanner } from './checkins/planner.js';
import { startPrivateRedis } from './checkins/private-redis.js';
import { redisOptions } from './checkins/redis-target.js';
import { CheckinSender } from './checkins/sender.js';
import { CheckinService } from './checkins/service.js';
import type { Config } from './config.js';
import { FlowRegistry } from './flows/registry.js';
import { Pipeline } from './pipeline/pipeline.js';
import { StaffDesk } from './staff/desk.js';
import { acquireInstanceLock, HEARTBEAT_MS, type InstanceLock } from './store/instance-lock.js';
import { Store } from './store/store.js';
import { WhatsAppConnection } from './whatsapp/connection.js';
import { DEFAULT_PACING, WhatsAppGateway } from './whatsapp/gateway.js';
import { showPairingCode, showQr } from './whatsapp/linking.js';
import { QrImage } from './whatsapp/qr-image.js';

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

interface RedisForCheckins {
  options: RedisOptions;
  stop(): Promise<void>;
}

/** REDIS_URL, else a private redis-server under the data directory; null (check-ins off) when neither is there. */
async function redisForCheckins(config: Config, log: Logger): Promise<RedisForCheckins | null> {
  if (config.redisUrl) return { options: redisOptions({ url: config.redisUrl }), stop: async () => undefined };
  try {
    const server = await startPrivateRedis(dirname(config.dbPath), log);
    if (server) return { options: redisOptions({ socket: server.socket }), stop: () => server.stop() };
    log.warn('check-ins are off: REDIS_URL is not set and redis-server is not installed (apt-get install redis-server, or set REDIS_URL)');
  } catch (error) {
    log.error({ err: error }, 'check-ins are off: the private Redis did not start');
  }
  return null;
}

export function startBot(config: Config, log: Logger): RunningBot {
  const flows = FlowRegistry.load(config.flowsDir, log);
  const store = Store.open(config.dbPath);
  const clock = (): number => Date.now();
  const lock = lockDatabase(store, config.dbPath, clock());
  const heartbeat = setInterval(() => lock.heartbeat(), HEARTBEAT_MS).unref();
  const gateway = new WhatsAppGateway({ log, clock, pacing: { ...DEFAULT_PACING, msPerChar: config.typingMsPerChar } });
  const planner = new CheckinPlanner(store, () => flows.current());
  const afterChange = (rowId: number, now: number): void => void planner.replan(rowId, now);
  const pipeline = new Pipeline({ store, transport: gateway, flows: () => flows.current(), clock, random: Math.random, log, afterChange });
  const sender = new CheckinSender({ store, pipeline, planner, flows: () => flows.current(), clock, random: Math.random, log });
  const desk = new StaffDesk(store, pipeline, clock, config.phonePauseMs);
  gateway.onInbound((message) => pipeline.handleInbound(message));
  gateway.onOwnMessage((message) => desk.ownMessage(message));

  let gaveUp: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (gaveUp = resolve));
  const qrImage = new QrImage(join(dirname(config.dbPath), 'whatsapp-qr.png'));
  const connection = new WhatsAppConnection({
    db: store.db,
    gateway,
    status: store.waStatus,
    sentText: (id) => store.messages.sentText(id),
    clock,
    log,
    pairingNumber: config.pairingNumber,
    waWebSocketUrl: config.waWebSocketUrl,
    onQr: (qr) => {
      showQr(qr);
      qrImage.show(qr).catch((error: unknown) => log.warn({ err: error }, 'the QR image could not be written'));
    },
    onPairingCode: (code) => showPairingCode(code),
    onOpen: () => {
      qrImage.clear();
      void pipeline.flushAll();
    },
    onStop: gaveUp,
  });
  // Plans may be stale if the flows were edited while the bot was stopped; re-planning runs in small batches.
  const replanned = planner.replanAll(clock).catch((error: unknown) => log.error({ err: error }, 're-planning check-ins failed'));
  const redis = redisForCheckins(config, log);
  const checkins = redis.then((found) => found && new CheckinService({ store, planner, sender, flows: () => flows.current(), clock, log, redis: found.options, prefix: config.redisPrefix }));
  flows.onReload((changed) => {
    planner
      .replanAll(clock)
      .then(async (count) => {
        log.info({ customers: count }, 'check-ins re-planned for the changed flows');
        await (await checkins)?.setMaxPerMinute(changed.checkins.settings.maxPerMinute);
      })
      .catch((error: unknown) => log.error({ err: error }, 're-planning check-ins failed'));
  });
  flows.watch();
  connection.start();
  log.info({ db: config.dbPath, flows: flows.current().flows.size }, 'Setia started; connecting to WhatsApp');

  return {
    stopped,
    async stop() {
      gateway.stopTaking();
      flows.close();
      await replanned;
      await (await checkins)?.close();
      await gateway.drained();
      await pipeline.idle(); // the messages in hand are answered and sent while the connection lasts
      connection.stop();
      pipeline.stop();
      await (await redis)?.stop();
      qrImage.clear();
      clearInterval(heartbeat);
      lock.release();
      store.close();
    },
  };
}
