/** What the staff inbox lists: open escalations with their customer and last message, and recent conversations. */
import type { Db } from './database.js';
import type { EscalationStatus } from './escalations.js';
import type { Sender } from './messages.js';

export interface InboxEntry {
  customerId: number;
  name: string | null;
  phone: string | null;
  escalationId: number | null;
  reason: string | null;
  status: EscalationStatus | null;
  /** When the escalation opened (its wait counts from here), or null for a conversation without one. */
  openedAt: number | null;
  claimedBy: string | null;
  lastText: string | null;
  lastKind: string | null;
  lastSender: Sender | null;
  lastAt: number | null;
}

const LAST_MESSAGE = `LEFT JOIN messages m ON m.id = (SELECT max(id) FROM messages WHERE customer_id = c.id)`;
const COLUMNS = `c.id AS customerId, c.name, c.phone, m.text AS lastText, m.kind AS lastKind, m.sender AS lastSender, m.at AS lastAt`;

export class InboxStore {
  private readonly openStmt;
  private readonly recentStmt;

  constructor(db: Db) {
    this.openStmt = db.prepare<[], InboxEntry>(
      `SELECT ${COLUMNS}, e.id AS escalationId, e.reason, e.status, e.created_at AS openedAt, e.claimed_by AS claimedBy
       FROM escalations e JOIN customers c ON c.id = e.customer_id ${LAST_MESSAGE}
       WHERE e.status != 'released' ORDER BY e.created_at`,
    );
    this.recentStmt = db.prepare<[number], InboxEntry>(
      `SELECT ${COLUMNS}, NULL AS escalationId, NULL AS reason, NULL AS status, NULL AS openedAt, NULL AS claimedBy
       FROM customers c ${LAST_MESSAGE}
       WHERE c.last_contact_at IS NOT NULL ORDER BY c.last_contact_at DESC LIMIT ?`,
    );
  }

  /** Every escalation not yet released, oldest first. */
  open(): InboxEntry[] {
    return this.openStmt.all();
  }

  /** The customers most recently in contact, newest first. */
  recent(limit: number): InboxEntry[] {
    return this.recentStmt.all(limit);
  }
}
