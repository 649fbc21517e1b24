/** Helpers the benchmarks share: temporary directories, a silent logger, timing, and Redis bookkeeping. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';

export const silentLog = pino({ level: 'silent' });

export const REDIS = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** How many times each measurement is repeated (the median is reported): BENCH_RUNS, default 3. */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'setia-bench-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A Redis key prefix no one else uses: one per benchmark run. */
export function uniquePrefix(name: string): string {
  return `setia-bench-${name}-${randomUUID().slice(0, 8)}`;
}

/** Every key under a prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/**
 * The bytes Redis holds for the keys under a prefix (MEMORY USAGE, exact: SAMPLES 0), so other users of the
 * same Redis do not disturb the figure.
 */
export async function memoryUnder(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number }> {
  const keys = await keysUnder(redis, prefix);
  let bytes = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 500)) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [error, size] of (await pipeline.exec()) ?? []) if (!error) bytes += Number(size ?? 0);
  }
  return { bytes, keys: keys.length };
}

/** Deletes every key under a prefix. */
export async function removeUnder(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  return keys.length;
}

export function connectRedis(): Redis {
  return new Redis({ ...REDIS, maxRetriesPerRequest: 1, lazyConnect: false });
}

export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function now(): bigint {
  return process.hrtime.bigint();
}

export const pause = (msToWait: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msToWait));
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Asks V8 to collect garbage when the process runs with --expose-gc; a benchmark starts from a settled heap. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
