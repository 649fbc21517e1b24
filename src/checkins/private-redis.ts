/**
 * The bot's own Redis when REDIS_URL is not set: `redis-server` from PATH on a unix socket under the data
 * directory, with AOF persistence and `noeviction`, as BullMQ needs. Started and stopped with `setia start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

export interface PrivateRedis {
  socket: string;
  stop(): Promise<void>;
}

/** Whether a Redis answers PING at this address, without retrying or queueing. */
export async function redisAnswers(target: RedisOptions): Promise<boolean> {
  const client = new Redis({ ...target, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilAnswering(socket: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (code ${child.exitCode}); see redis.log in the data directory`);
    if (await redisAnswers({ path: socket })) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`redis-server did not answer on ${socket} within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Starts redis-server in `dir` (the data directory); null when it is not installed. A private Redis left
 * running by a bot that was killed is reused rather than started twice on the same files.
 */
export async function startPrivateRedis(dir: string, log: Logger): Promise<PrivateRedis | null> {
  const home = resolve(dir);
  mkdirSync(home, { recursive: true });
  const socket = join(home, 'redis.sock');
  if (await redisAnswers({ path: socket })) {
    log.info({ socket }, 'using the private Redis already running in the data directory');
    return { socket, stop: () => shutdown(socket) };
  }
  const args = [
    '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', home,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction',
    '--logfile', 'redis.log', '--daemonize', 'no',
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const spawned = await new Promise<boolean>((done) => {
    child.once('spawn', () => done(true));
    child.once('error', () => done(false));
  });
  if (!spawned) return null;
  await waitUntilAnswering(socket, child);
  log.info({ socket }, 'private Redis started (set REDIS_URL to use another)');
  return {
    socket,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM'); // redis-server finishes its AOF on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function shutdown(socket: string): Promise<void> {
  const client = new Redis({ path: socket, lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.shutdown();
  } catch {
    // The server closes the connection as it shuts down.
  } finally {
    client.disconnect();
  }
}
