/**
 * WhatsApp messages from the shop's account to staff phones (new escalations, reminders, confirmations). Written
 * before they are sent, like the customers' outbox, so none is lost in a crash; the message id maps a staff
 * member's quoted reply back to its escalation.
 */
import type { Db } from './database.js';

export interface StaffNotification {
  id: number;
  waId: string;
  escalationId: number | null;
  staffChat: string;
  text: string;
}

const COLUMNS = 'id, wa_id AS waId, escalation_id AS escalationId, staff_chat AS staffChat, text';

export class StaffNotificationStore {
  private readonly insert;
  private readonly pendingStmt;
  private readonly byWaIdStmt;
  private readonly markSentStmt;
  private readonly markEchoedStmt;
  private readonly markFailedStmt;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO staff_notifications (wa_id, escalation_id, staff_chat, text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
    );
    this.pendingStmt = db.prepare<[], StaffNotification>(`SELECT ${COLUMNS} FROM staff_notifications WHERE status = 'pending' ORDER BY id`);
    this.byWaIdStmt = db.prepare<[string], StaffNotification>(`SELECT ${COLUMNS} FROM staff_notifications WHERE wa_id = ?`);
    this.markSentStmt = db.prepare(`UPDATE staff_notifications SET status = 'sent', sent_at = ? WHERE id = ?`);
    this.markEchoedStmt = db.prepare(`UPDATE staff_notifications SET status = 'sent', sent_at = ? WHERE wa_id = ? AND status = 'pending'`);
    this.markFailedStmt = db.prepare(`UPDATE staff_notifications SET status = 'failed', error = ? WHERE id = ?`);
  }

  queue(waId: string, escalationId: number | null, staffChat: string, text: string, at: number): void {
    this.insert.run(waId, escalationId, staffChat, text, at);
  }

  pending(): StaffNotification[] {
    return this.pendingStmt.all();
  }

  /** The notification a staff member quoted, by its WhatsApp message id. */
  byWaId(waId: string): StaffNotification | undefined {
    return this.byWaIdStmt.get(waId);
  }

  markSent(id: number, at: number): void {
    this.markSentStmt.run(at, id);
  }

  /** WhatsApp echoed a notification we still hold as pending: it was sent. True if one was marked. */
  markEchoed(waId: string, at: number): boolean {
    return this.markEchoedStmt.run(at, waId).changes === 1;
  }

  markFailed(id: number, error: string): void {
    this.markFailedStmt.run(error, id);
  }
}
