/**
 * The message log: every inbound and outbound message. Outbound messages are written as `pending` before
 * they are sent (the outbox), so a crash between deciding and sending loses nothing.
 */
import type { InboundKind } from '../core/flow/types.js';
import type { Db } from './database.js';

export type Sender = 'customer' | 'bot' | 'staff';

export interface StoredMessage {
  id: number;
  waId: string;
  customerId: number;
  chatId: string;
  direction: 'in' | 'out';
  sender: Sender;
  kind: string;
  text: string;
  at: number;
  status: 'received' | 'pending' | 'sent' | 'failed';
  /** The staff member who wrote a staff message, when known. */
  author: string | null;
}

interface Row {
  id: number;
  wa_id: string;
  customer_id: number;
  chat_id: string;
  direction: 'in' | 'out';
  sender: Sender;
  kind: string;
  text: string;
  at: number;
  status: StoredMessage['status'];
  author: string | null;
}

const SELECT = `SELECT m.*, c.wa_id AS chat_id FROM messages m JOIN customers c ON c.id = m.customer_id`;

function fromRow(row: Row): StoredMessage {
  return {
    id: row.id,
    waId: row.wa_id,
    customerId: row.customer_id,
    chatId: row.chat_id,
    direction: row.direction,
    sender: row.sender,
    kind: row.kind,
    text: row.text,
    at: row.at,
    status: row.status,
    author: row.author,
  };
}

export class MessageStore {
  private readonly insertIn;
  private readonly insertOut;
  private readonly insertSent;
  private readonly pendingFor;
  private readonly chatsPending;
  private readonly markSentStmt;
  private readonly markFailedStmt;
  private readonly markEchoedStmt;
  private readonly byCustomer;
  private readonly senderStmt;
  private readonly textStmt;
  private readonly countsStmt;

  constructor(db: Db) {
    this.insertIn = db.prepare(
      `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, at, status)
       VALUES (?, ?, 'in', 'customer', ?, ?, ?, 'received') ON CONFLICT (wa_id) DO NOTHING`,
    );
    this.insertOut = db.prepare(
      `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, at, status, author)
       VALUES (?, ?, 'out', ?, 'text', ?, ?, 'pending', ?)`,
    );
    this.insertSent = db.prepare(
      `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, at, status, sent_at)
       VALUES (?, ?, 'out', ?, ?, ?, ?, 'sent', ?) ON CONFLICT (wa_id) DO NOTHING`,
    );
    this.pendingFor = db.prepare<[number], Row>(`${SELECT} WHERE m.customer_id = ? AND m.status = 'pending' ORDER BY m.id`);
    this.chatsPending = db.prepare<[], { customerId: number; chatId: string }>(
      `SELECT DISTINCT m.customer_id AS customerId, c.wa_id AS chatId FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.status = 'pending'`,
    );
    this.markSentStmt = db.prepare(`UPDATE messages SET status = 'sent', sent_at = ? WHERE id = ?`);
    this.markEchoedStmt = db.prepare(`UPDATE messages SET status = 'sent', sent_at = ? WHERE wa_id = ? AND status = 'pending'`);
    this.markFailedStmt = db.prepare(`UPDATE messages SET status = 'failed', error = ? WHERE id = ?`);
    this.textStmt = db.prepare<[string], { text: string }>(`SELECT text FROM messages WHERE wa_id = ? AND direction = 'out'`);
    this.senderStmt = db.prepare<[string], { sender: Sender }>('SELECT sender FROM messages WHERE wa_id = ?');
    this.countsStmt = db.prepare<[{ since: number }], { inbound: number; outbound: number; pending: number }>(
      `SELECT coalesce(sum(direction = 'in' AND at >= @since), 0) AS inbound,
              coalesce(sum(direction = 'out' AND status = 'sent' AND sent_at >= @since), 0) AS outbound,
              coalesce(sum(status = 'pending'), 0) AS pending
       FROM messages`,
    );
    this.byCustomer = db.prepare<[number], Row>(`${SELECT} WHERE m.customer_id = ? ORDER BY m.id`);
  }

  /** Stores an inbound message; false when a message with this WhatsApp id is already stored. */
  recordInbound(waId: string, customerId: number, kind: InboundKind, text: string, at: number): boolean {
    return this.insertIn.run(waId, customerId, kind, text, at).changes === 1;
  }

  /** Queues an outbound message in the outbox; `author` names the staff member who wrote it. */
  queueOutbound(waId: string, customerId: number, sender: Exclude<Sender, 'customer'>, text: string, at: number, author: string | null = null): void {
    this.insertOut.run(waId, customerId, sender, text, at, author);
  }

  /** Records a message that was sent outside the outbox (typed on the shop's phone); false if already known. */
  recordSent(waId: string, customerId: number, sender: Exclude<Sender, 'customer'>, kind: InboundKind, text: string, at: number): boolean {
    return this.insertSent.run(waId, customerId, sender, kind, text, at, at).changes === 1;
  }

  pending(customerId: number): StoredMessage[] {
    return this.pendingFor.all(customerId).map(fromRow);
  }

  chatsWithPending(): Array<{ customerId: number; chatId: string }> {
    return this.chatsPending.all();
  }

  markSent(id: number, at: number): void {
    this.markSentStmt.run(at, id);
  }

  /** WhatsApp echoed a message we still hold as pending: it was sent. True if one was marked. */
  markEchoed(waId: string, at: number): boolean {
    return this.markEchoedStmt.run(at, waId).changes === 1;
  }

  markFailed(id: number, error: string): void {
    this.markFailedStmt.run(error, id);
  }

  /** The text of a message the shop sent, for WhatsApp's retry requests. */
  sentText(waId: string): string | undefined {
    return this.textStmt.get(waId)?.text;
  }

  senderOf(waId: string): Sender | undefined {
    return this.senderStmt.get(waId)?.sender;
  }

  /** Messages received and sent since a moment, and the outbox length now. */
  counts(since: number): { inbound: number; outbound: number; pending: number } {
    return this.countsStmt.get({ since })!;
  }

  transcript(customerId: number): StoredMessage[] {
    return this.byCustomer.all(customerId).map(fromRow);
  }
}
