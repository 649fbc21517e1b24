/**
 * One running bot per database: two `setia start` on the same data would mean two WhatsApp connections on one
 * session, which fight forever. The lock is a row naming the process; it is stale when that process is gone
 * (same machine) or its heartbeat stopped (a database copied from elsewhere).
 */
import { hostname } from 'node:os';
import { StoreLockedError } from '../errors.js';
import type { Db } from './database.js';

export const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

interface LockRow {
  pid: number;
  hostname: string;
  started_at: number;
  heartbeat_at: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface InstanceLock {
  heartbeat(): void;
  release(): void;
}

/** The lock holder, if a live process holds it. */
export function lockHolder(db: Db, now: number): LockRow | undefined {
  const row = db.prepare<[], LockRow>('SELECT * FROM instance_lock WHERE id = 1').get();
  if (!row) return undefined;
  const live = row.hostname === hostname() ? alive(row.pid) : now - row.heartbeat_at < STALE_AFTER_MS;
  return live ? row : undefined;
}

export function acquireInstanceLock(db: Db, dbPath: string, now: number, pid = process.pid): InstanceLock {
  db.transaction(() => {
    const holder = lockHolder(db, now);
    if (holder && holder.pid !== pid) {
      throw new StoreLockedError(
        `${dbPath} is in use by another Setia (pid ${holder.pid} on ${holder.hostname}, started ${new Date(holder.started_at).toISOString()}); stop it first, or give this one its own SETIA_DB`,
      );
    }
    db.prepare('INSERT OR REPLACE INTO instance_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)').run(pid, hostname(), now, now);
  }).immediate();
  return {
    heartbeat: () => db.prepare('UPDATE instance_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ?').run(Date.now(), pid),
    release: () => db.prepare('DELETE FROM instance_lock WHERE id = 1 AND pid = ?').run(pid),
  };
}
