/**
 * Staff requests already handled (a staff member's WhatsApp message, by its id). WhatsApp delivers at least
 * once: recording the id in the transaction that acts on it makes a second delivery change nothing.
 */
import type { Db } from './database.js';

export class StaffRequestStore {
  private readonly insert;
  private readonly find;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO staff_requests (id, handled_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    this.find = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM staff_requests WHERE id = ?');
  }

  /** Records the request as handled; false when it was handled before. */
  firstTime(id: string, at: number): boolean {
    return this.insert.run(id, at).changes === 1;
  }

  handled(id: string): boolean {
    return this.find.get(id) !== undefined;
  }
}
