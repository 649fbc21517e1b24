/**
 * A customer's history as the inbox's customer panel shows it: how often they wrote, the check-ins sent to them
 * with their answers, and their earlier escalations. Read-only, each through an index on the customer, so a
 * panel costs what this one customer did, not the size of the shop.
 */
import type { Db } from './database.js';

export interface CheckinSent {
  rule: string;
  flow: string;
  sentAt: number;
  answeredAt: number | null;
  answer: string | null;
}

export interface PastEscalation {
  id: number;
  reason: string;
  createdAt: number;
  releasedAt: number;
  releasedBy: string | null;
  /** The last holder; the staff who wrote to the customer are in `repliedBy`. */
  claimedBy: string | null;
  repliedBy: string[];
}

/** How many of a customer's check-ins and escalations the panel lists, newest first. */
export const HISTORY_LIMIT = 10;

export class CustomerHistoryStore {
  private readonly inboundStmt;
  private readonly checkinsStmt;
  private readonly escalationsStmt;

  constructor(db: Db) {
    this.inboundStmt = db.prepare<[number], number>(`SELECT count(*) FROM messages WHERE customer_id = ? AND direction = 'in'`).pluck();
    this.checkinsStmt = db.prepare<[number, number], CheckinSent>(
      `SELECT rule, flow, sent_at AS sentAt, answered_at AS answeredAt, answer FROM checkins WHERE customer_id = ? ORDER BY sent_at DESC LIMIT ?`,
    );
    this.escalationsStmt = db.prepare<[number, number], Omit<PastEscalation, 'repliedBy'> & { repliedBy: string }>(
      `SELECT e.id, e.reason, e.created_at AS createdAt, e.released_at AS releasedAt, e.released_by AS releasedBy, e.claimed_by AS claimedBy,
              (SELECT json_group_array(DISTINCT v.actor) FROM escalation_events v WHERE v.escalation_id = e.id AND v.kind = 'replied') AS repliedBy
       FROM escalations e WHERE e.customer_id = ? AND e.status = 'released' ORDER BY e.id DESC LIMIT ?`,
    );
  }

  /** Messages the customer wrote to the shop. */
  inboundCount(customerId: number): number {
    return this.inboundStmt.get(customerId)!;
  }

  /** The latest check-ins sent to the customer. */
  checkins(customerId: number, limit = HISTORY_LIMIT): CheckinSent[] {
    return this.checkinsStmt.all(customerId, limit);
  }

  /** The customer's latest escalations handed back to the bot. */
  pastEscalations(customerId: number, limit = HISTORY_LIMIT): PastEscalation[] {
    return this.escalationsStmt.all(customerId, limit).map((row) => ({ ...row, repliedBy: JSON.parse(row.repliedBy) as string[] }));
  }
}
