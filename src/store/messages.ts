/**
 * The message log: every inbound and outbound message. Outbound messages are written as `pending` before
 * they are sent (the outbox), so a crash between deciding and sending loses nothing.
 */
import type { Inbound, InboundKind, OutgoingMedia } from '../core/flow/types.js';
import type { InboundMessage } from '../transport/transport.js';
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
  /** A picture or file, relative to the shop's folder (data/photos/x.jpg), when the message carries one. */
  mediaPath: string | null;
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
  media_path: string | null;
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
    mediaPath: row.media_path,
  };
}

interface InboundRow {
  waId: string;
  customerId: number;
  kind: InboundKind;
  text: string;
  location: string | null;
  at: number;
  waiting: 0 | 1;
  mediaPath: string | null;
}

function inboundRow(message: InboundMessage, customerId: number, waiting: 0 | 1): InboundRow {
  const { id: waId, kind, text, at, location } = message;
  return { waId, customerId, kind, text, location: location ? JSON.stringify(location) : null, at, waiting, mediaPath: message.mediaPath ?? null };
}

interface WaitingRow {
  wa_id: string;
  chat_id: string;
  kind: string;
  text: string;
  location: string | null;
  at: number;
}

export class MessageStore {
  private readonly insertIn;
  private readonly takeWaitingStmt;
  private readonly waitingStmt;
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
    this.insertIn = db.prepare<InboundRow>(
      `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, location, at, status, waiting, media_path)
       VALUES (@waId, @customerId, 'in', 'customer', @kind, @text, @location, @at, 'received', @waiting, @mediaPath) ON CONFLICT (wa_id) DO NOTHING`,
    );
    this.takeWaitingStmt = db.prepare(`UPDATE messages SET waiting = 0 WHERE wa_id = ? AND waiting = 1`);
    this.waitingStmt = db.prepare<[], WaitingRow>(
      `SELECT m.wa_id, c.wa_id AS chat_id, m.kind, m.text, m.location, m.at
       FROM messages m JOIN customers c ON c.id = m.customer_id WHERE m.waiting = 1 ORDER BY m.id`,
    );
    this.insertOut = db.prepare(
      `INSERT INTO messages (wa_id, customer_id, direction, sender, kind, text, at, status, author, media_path)
       VALUES (?, ?, 'out', ?, ?, ?, ?, 'pending', ?, ?)`,
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

  /**
   * Stores an inbound message to be answered now: 'new'; or takes one recorded earlier to wait for its turn
   * (`recordWaiting`): 'waiting'; or 'duplicate' when a message with this WhatsApp id was already answered.
   * `recordedWaiting`: it was recorded earlier, so taking it is tried first.
   */
  recordInbound(message: InboundMessage, customerId: number, recordedWaiting = false): 'new' | 'waiting' | 'duplicate' {
    if (recordedWaiting && this.takeWaitingStmt.run(message.id).changes === 1) return 'waiting';
    if (this.insertIn.run(inboundRow(message, customerId, 0)).changes === 1) return 'new';
    return this.takeWaitingStmt.run(message.id).changes === 1 ? 'waiting' : 'duplicate';
  }

  /** Stores an inbound message that must wait for its chat's turn, so that a crash before it cannot lose it. */
  recordWaiting(message: InboundMessage, customerId: number): void {
    this.insertIn.run(inboundRow(message, customerId, 1));
  }

  /** The messages recorded but not yet answered (a crash or restart came first), oldest first. */
  waiting(): InboundMessage[] {
    return this.waitingStmt.all().map((row) => ({
      id: row.wa_id,
      chatId: row.chat_id,
      kind: row.kind as InboundKind,
      text: row.text,
      at: row.at,
      ...(row.location ? { location: JSON.parse(row.location) as Inbound['location'] } : {}),
    }));
  }

  /**
   * Queues an outbound message in the outbox; `author` names the staff member who wrote it; with `media` the
   * text is its caption. Returns its row id.
   */
  queueOutbound(
    waId: string, customerId: number, sender: Exclude<Sender, 'customer'>, text: string, at: number,
    author: string | null = null, media?: OutgoingMedia,
  ): number {
    return Number(this.insertOut.run(waId, customerId, sender, media?.kind ?? 'text', text, at, author, media?.path ?? null).lastInsertRowid);
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
