/** Where Redis is: REDIS_URL (redis://, rediss://) or the unix socket of the private redis-server. */
import type { RedisOptions } from 'ioredis';

/** ioredis options for a redis:// or rediss:// URL, or a unix socket path. */
export function redisOptions(target: { url: string } | { socket: string }): RedisOptions {
  if ('socket' in target) return { path: target.socket };
  const url = new URL(target.url);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Where Redis is, for logs: never the password. */
export function describeRedis(options: RedisOptions): string {
  return options.path ? `unix:${options.path}` : `${options.host}:${options.port}`;
}
