/** The WhatsApp connection's state as the running bot last wrote it, for `setia status` and health checks. */
import type { Db } from './database.js';

export interface ConnectionRecord {
  connected: boolean;
  since: number | null;
  lastDisconnect: string | null;
  lastDisconnectAt: number | null;
}

export class WaStatusStore {
  private readonly read;
  private readonly write;

  constructor(db: Db) {
    this.read = db.prepare<[], { connected: number; since: number | null; last_disconnect: string | null; last_disconnect_at: number | null }>(
      'SELECT * FROM wa_status WHERE id = 1',
    );
    this.write = db.prepare(
      `INSERT INTO wa_status (id, connected, since, last_disconnect, last_disconnect_at) VALUES (1, @connected, @since, @lastDisconnect, @lastDisconnectAt)
       ON CONFLICT (id) DO UPDATE SET connected = excluded.connected, since = excluded.since,
         last_disconnect = coalesce(excluded.last_disconnect, last_disconnect), last_disconnect_at = coalesce(excluded.last_disconnect_at, last_disconnect_at)`,
    );
  }

  get(): ConnectionRecord {
    const row = this.read.get();
    return {
      connected: row?.connected === 1,
      since: row?.since ?? null,
      lastDisconnect: row?.last_disconnect ?? null,
      lastDisconnectAt: row?.last_disconnect_at ?? null,
    };
  }

  opened(at: number): void {
    this.write.run({ connected: 1, since: at, lastDisconnect: null, lastDisconnectAt: null });
  }

  closed(at: number, reason: string): void {
    this.write.run({ connected: 0, since: at, lastDisconnect: reason, lastDisconnectAt: at });
  }
}
