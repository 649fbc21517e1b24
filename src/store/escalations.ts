/** Escalations: conversations handed to staff, from waiting through claimed to released. */
import type { Db } from './database.js';

export interface Escalation {
  id: number;
  customerId: number;
  reason: string;
  status: 'waiting' | 'claimed' | 'released';
  createdAt: number;
}

interface Row {
  id: number;
  customer_id: number;
  reason: string;
  status: Escalation['status'];
  created_at: number;
}

export class EscalationStore {
  private readonly insert;
  private readonly openFor;
  private readonly releaseStmt;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO escalations (customer_id, reason, status, created_at) VALUES (?, ?, 'waiting', ?)`);
    this.openFor = db.prepare<[number], Row>(`SELECT * FROM escalations WHERE customer_id = ? AND status != 'released' ORDER BY id DESC LIMIT 1`);
    this.releaseStmt = db.prepare(`UPDATE escalations SET status = 'released', released_at = ? WHERE customer_id = ? AND status != 'released'`);
  }

  open(customerId: number, reason: string, at: number): void {
    this.insert.run(customerId, reason, at);
  }

  current(customerId: number): Escalation | undefined {
    const row = this.openFor.get(customerId);
    return row && { id: row.id, customerId: row.customer_id, reason: row.reason, status: row.status, createdAt: row.created_at };
  }

  release(customerId: number, at: number): void {
    this.releaseStmt.run(at, customerId);
  }
}
