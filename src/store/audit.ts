/** Who changed which staff account, and when: a line per change, kept for the owner's record. */
import type { Db } from './database.js';

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target: string;
}

export class AuditStore {
  private readonly insert;
  private readonly recentStmt;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)');
    this.recentStmt = db.prepare<[number], AuditEntry>('SELECT at, actor, action, target FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  record(entry: AuditEntry): void {
    this.insert.run(entry.at, entry.actor, entry.action, entry.target);
  }

  /** The latest changes, newest first. */
  recent(limit: number): AuditEntry[] {
    return this.recentStmt.all(limit);
  }
}
