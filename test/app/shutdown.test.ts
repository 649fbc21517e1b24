/**
 * `setia start`'s composition root stops without leaving anything running: no timer, socket, server or child
 * process outlives stop(), even with a staff member's inbox tab open on live updates, so the process ends by
 * itself (src/cli/main.ts). Redis sockets whose QUIT was answered finish closing just after stop() resolves, so
 * the check waits (boundedly) for the loop to be empty rather than looking once.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { cpSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { startBot, type RunningBot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';
import { eventually, REDIS } from '../helpers/checkin-rig.js';
import { CliSession } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { freePort } from '../reliability/support.js';

afterAll(removeTempDirs);

/** What is keeping the event loop alive, by kind ("Timeout", "TCPSocketWrap"…), counted. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** The resources in `after` beyond those in `before`. */
function leftOver(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...after].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)]));
}

/** A logged-in staff member, written straight into the database the bot will open; returns the session token. */
function staffSession(dbPath: string): string {
  const store = Store.open(dbPath);
  const now = Date.now();
  store.staffAccounts.add('Sari', 'owner', 'not-a-real-hash', now);
  const token = randomUUID();
  store.webSessions.create(token, store.staffAccounts.byName('Sari')!.id, randomUUID(), now, now + 3_600_000);
  store.close();
  return token;
}

/** An inbox tab's live-update stream, open until the server ends it. */
function openLiveUpdates(port: number, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie: `setia_session=${token}` } }, (response) => {
      response.once('data', () => resolve(response)).on('error', () => undefined);
    }).on('error', reject);
  });
}

/** Whether stop() resolved within `ms`. */
async function stopsWithin(bot: RunningBot, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const stopped = await Promise.race([bot.stop().then(() => true), late]);
  clearTimeout(timer);
  return stopped;
}

/** A shop folder and the environment of a bot that cannot reach WhatsApp, on the shared Redis under its own prefix. */
async function shop() {
  const dir = tempDir();
  cpSync('flows', join(dir, 'flows'), { recursive: true });
  cpSync('data', join(dir, 'data'), { recursive: true }); // the catalogue and the pictures the flows send
  const env = {
    SETIA_DB: join(dir, 'setia.db'),
    SETIA_FLOWS: join(dir, 'flows'),
    LOG_FORMAT: 'json',
    WA_WEBSOCKET_URL: 'ws://127.0.0.1:9/ws', // refused at once: the connection keeps a backoff timer running
    REDIS_URL: `redis://${REDIS.host}:${REDIS.port}`,
    REDIS_PREFIX: `shutdown-${randomUUID().slice(0, 8)}`,
    WEB_PORT: String(await freePort()),
  };
  return { dir, env };
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS);
  for (const key of await redis.keys(`${prefix}:*`)) await redis.del(key);
  await redis.quit();
}

describe('setia start, stopped', () => {
  it('leaves no timer, socket, server or process running after stop(), with an inbox tab open', async () => {
    const { env } = await shop();
    const config = loadConfig(env);
    const token = staffSession(config.dbPath);
    const lines: string[] = [];
    const log = createLogger(config, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const logged = (pattern: RegExp) => eventually(`the log says ${pattern}`, () => lines.some((line) => pattern.test(line)));
    const before = activeResources();

    const bot = startBot(config, log);
    await logged(/check-ins and reminders running/);
    await logged(/staff inbox listening/);
    await logged(/"attempt":1.*reconnecting/);
    const live = await openLiveUpdates(config.webPort, token);
    const ended = new Promise((resolve) => live.on('close', resolve));
    expect(await stopsWithin(bot, 30_000)).toBe(true); // a generous bound: "it stops at all", not a speed check
    await ended; // the server ended the tab's stream (the browser reconnects to the next start)

    expect(lines.at(-1)).toMatch(/Setia stopped/);
    const nothingLeft = (): boolean => Object.keys(leftOver(before, activeResources())).length === 0;
    await eventually('nothing is left running', nothingLeft, 10_000).catch(() => undefined);
    expect(leftOver(before, activeResources())).toEqual({});
    await removeRedisKeys(env.REDIS_PREFIX);
  }, 60_000);

  it('ends by itself on SIGTERM, with exit code 0, while a staff member has the inbox open', async () => {
    const { dir, env } = await shop();
    const token = staffSession(env.SETIA_DB);
    const bot = new CliSession(['start'], dir, env);
    try {
      await bot.waitFor(/check-ins and reminders running/);
      await bot.waitFor(/staff inbox listening/);
      const live = await openLiveUpdates(Number(env.WEB_PORT), token);
      live.on('error', () => undefined);
      bot.child.kill('SIGTERM');
      await bot.waitFor(/Setia stopped/);
    } finally {
      expect(await bot.close()).toBe(0);
    }
    expect(bot.text).not.toMatch(/still running after stopping/); // it was not ended by the fallback
    await removeRedisKeys(env.REDIS_PREFIX);
  }, 60_000);
});
