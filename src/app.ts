/**
 * The composition root of `setia start`: configuration → store → flows → pipeline → staff (inbox, WhatsApp
 * notifications and commands, reminders) → WhatsApp → running bot.
 * Everything else receives what it needs as arguments.
 */
import { dirname, join } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { CheckinPlanner } from './checkins/planner.js';
import { startPrivateRedis } from './checkins/private-redis.js';
import { CheckinQueues, SEND_QUEUE, SWEEP_QUEUE } from './checkins/queues.js';
import { redisOptions } from './checkins/redis-target.js';
import { CheckinSender } from './checkins/sender.js';
import { dueCheckins } from './checkins/sweep.js';
import { readStatus } from './cli/status.js';
import type { Config } from './config.js';
import { shopRootOf } from './flows/load.js';
import { FlowRegistry } from './flows/registry.js';
import { closeBullObjects, JobService, type BullTarget } from './jobs/service.js';
import { Pipeline } from './pipeline/pipeline.js';
import { Activity } from './staff/activity.js';
import { StaffCommands } from './staff/commands.js';
import { StaffDesk } from './staff/desk.js';
import { StaffNotifier } from './staff/notifier.js';
import { EscalationTimers, TIMERS_QUEUE } from './staff/sla.js';
import { acquireInstanceLock, HEARTBEAT_MS, type InstanceLock } from './store/instance-lock.js';
import { SearchIndexer } from './store/search-indexer.js';
import { Store } from './store/store.js';
import { shopReport } from './web/pages/report.js';
import { startWebServer, type WebDeps } from './web/server.js';
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
  store.checkpointInBackground(log);
  const searchIndexer = new SearchIndexer(store.search, log); // fills the search index in batches, off the hot path
  searchIndexer.start();
  const heartbeat = setInterval(() => lock.heartbeat(), HEARTBEAT_MS).unref();
  const mediaRoot = shopRootOf(config.flowsDir);
  const gateway = new WhatsAppGateway({ log, clock, pacing: { ...DEFAULT_PACING, msPerChar: config.typingMsPerChar }, inboundMedia: { root: mediaRoot } });
  const planner = new CheckinPlanner(store, () => flows.current());
  const activity = new Activity();
  const notifier = new StaffNotifier({ store, transport: gateway, flows: () => flows.current(), clock, log, inboxUrl: (id) => `${config.webBaseUrl}/conversations/${id}` });
  const pipeline = new Pipeline({
    store,
    transport: gateway,
    flows: () => flows.current(),
    clock,
    random: Math.random,
    log,
    afterChange: (rowId, now, known) => void planner.replan(rowId, now, known),
    onEscalation: (escalationId, _customer, now) => void notifier.escalationOpened(escalationId, now),
    afterCommit: (rowId) => activity.changed(rowId),
    mediaRoot,
  });
  const sender = new CheckinSender({ store, pipeline, planner, flows: () => flows.current(), clock, random: Math.random, log });
  const desk = new StaffDesk(store, pipeline, clock, config.phonePauseMs, { transferred: (id, by, to, now) => void notifier.transferred(id, by, to, now) });
  const commands = new StaffCommands({ store, desk, notifier, flows: () => flows.current(), clock, log });
  // Staff phones are never customers: their messages are commands, and the shop's notifications to them are not a takeover.
  gateway.onInbound((message) => (commands.isStaff(message) ? commands.handle(message) : pipeline.handleInbound(message)));
  gateway.onOwnMessage((message) => (commands.isStaff(message) ? notifier.echoed(message) : desk.ownMessage(message)));
  // Staff may write from a LID with no number beside it: Baileys can tell their number only if it learnt the LID.
  const learnStaffLids = (): Promise<void> => gateway.learnLids(flows.current().settings.staff.map((member) => member.phone));
  activity.subscribe(() => void notifier.flush());

  let gaveUp: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (gaveUp = resolve));
  const qrImage = new QrImage(join(dirname(config.dbPath), 'whatsapp-qr.png'));
  let pairingCode: string | null = null;
  const connection = new WhatsAppConnection({
    db: store.db,
    gateway,
    status: store.waStatus,
    // WhatsApp asks again for messages a phone could not decrypt: customers' and staff notifications alike.
    sentText: (id) => store.messages.sentText(id) ?? store.staffNotifications.byWaId(id)?.text,
    clock,
    log,
    pairingNumber: config.pairingNumber,
    waWebSocketUrl: config.waWebSocketUrl,
    onQr: (qr) => {
      showQr(qr);
      qrImage.show(qr).catch((error: unknown) => log.warn({ err: error }, 'the QR image could not be written'));
    },
    onPairingCode: (code) => {
      pairingCode = code;
      showPairingCode(code);
    },
    onOpen: () => {
      qrImage.clear();
      pairingCode = null;
      void pipeline.flushAll();
      void notifier.flush();
      void learnStaffLids();
    },
    onStop: gaveUp,
  });
  // Plans may be stale if the flows were edited while the bot was stopped; re-planning runs in small batches.
  const replanned = planner.replanAll(clock).catch((error: unknown) => log.error({ err: error }, 're-planning check-ins failed'));
  const redis = redisForCheckins(config, log);
  const jobs = redis.then(
    (found) =>
      found &&
      new JobService({
        redis: found.options,
        prefix: config.redisPrefix,
        log,
        groups: {
          'check-ins': (target) =>
            new CheckinQueues({
              ...target,
              log,
              due: (limit) => dueCheckins(store, planner, clock(), limit),
              send: (job) => sender.send(job),
              maxPerWindow: flows.current().checkins.settings.maxPerMinute,
            }),
          reminders: (target) =>
            new EscalationTimers({
              ...target,
              log,
              store,
              flows: () => flows.current(),
              clock,
              actions: {
                queueReminder: (escalationId, kind, now) => void notifier.reminder(escalationId, kind, now),
                flush: () => notifier.flush(),
                autoRelease: (quiet, why) => desk.autoRelease(quiet, why),
              },
            }),
        },
      }),
  );
  activity.subscribe((rowId) => void jobs.then((service) => service?.group('reminders')?.schedule(rowId)));
  flows.onReload((changed) => {
    if (gateway.status().connected) void learnStaffLids();
    planner
      .replanAll(clock)
      .then(async (count) => {
        log.info({ customers: count }, 'check-ins re-planned for the changed flows');
        await (await jobs)?.group('check-ins')?.setMaxPerWindow(changed.checkins.settings.maxPerMinute);
      })
      .catch((error: unknown) => log.error({ err: error }, 're-planning check-ins failed'));
  });
  const web = startInbox(config, log, {
    store,
    desk,
    activity,
    flows: () => flows.current(),
    mediaRoot,
    clock,
    log,
    baseUrl: config.webBaseUrl,
    health: async () => ({ whatsapp: gateway.status().connected, redis: (await jobs)?.reachable() ?? null }),
    owner: {
      status: () => readStatus(config.dbPath, config.flowsDir, clock()),
      qrFile: qrImage.path,
      pairingCode: () => pairingCode,
      report: (now) => shopReport(store, flows.current(), now),
      queues: [],
    },
  }, redis);
  flows.watch();
  connection.start();
  log.info({ db: config.dbPath, flows: flows.current().flows.size }, 'Setia started; connecting to WhatsApp');
  if (store.staffAccounts.count() === 0) log.warn('no staff accounts yet: create the first with `setia staff add <name> --owner` to use the inbox');

  return {
    stopped,
    async stop() {
      gateway.stopTaking();
      await flows.close(); // the loader thread's port would keep the process alive until it has ended
      await (await web)?.close();
      await replanned;
      // Bounded (a group forces its close after a deadline while Redis is down); failing must not keep WhatsApp and the store open.
      await (await jobs)?.close().catch((error: unknown) => log.error({ err: error }, 'background jobs did not close cleanly'));
      await gateway.drained();
      await commands.idle();
      await pipeline.idle(); // the messages in hand are answered and sent while the connection lasts
      connection.stop();
      pipeline.stop();
      notifier.stop();
      await (await redis)?.stop();
      qrImage.clear();
      clearInterval(heartbeat);
      searchIndexer.stop();
      lock.release();
      store.close();
      log.info('Setia stopped');
    },
  };
}

/** The queues BullMQ's dashboard shows: Queue objects of their own, so the dashboard works whatever the workers do. */
function dashboardQueues(target: BullTarget): Queue[] {
  return [SWEEP_QUEUE, SEND_QUEUE, TIMERS_QUEUE].map((name) => new Queue(name, target).on('error', () => undefined));
}

interface Inbox {
  close(): Promise<void>;
}

/** The staff inbox, once Redis is settled (the dashboard needs it); undefined when WEB_PORT is 0 or it cannot listen. */
async function startInbox(config: Config, log: Logger, deps: WebDeps, redis: Promise<RedisForCheckins | null>): Promise<Inbox | undefined> {
  if (config.webPort === 0) return undefined;
  const found = await redis;
  const queues = found ? dashboardQueues({ connection: found.options as ConnectionOptions, prefix: config.redisPrefix }) : [];
  const closeQueues = (): Promise<void> => closeBullObjects({ workers: [], queues, what: 'dashboard queues', log });
  try {
    const { app, address } = await startWebServer({ ...deps, owner: { ...deps.owner, queues } }, config.webPort, config.webHost);
    log.info({ address, link: config.webBaseUrl }, 'staff inbox listening');
    return { close: async () => void (await app.close(), await closeQueues()) };
  } catch (error) {
    await closeQueues();
    log.error({ err: error, port: config.webPort }, 'the staff inbox could not start (is the port in use? set WEB_PORT); the bot runs without it');
    return undefined;
  }
}
