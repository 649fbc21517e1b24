/** Customers: who wrote to the shop, what the flows saved about them, and whether they opted out. */
import type { Statement } from 'better-sqlite3';
import type { Conversation, Customer } from '../core/flow/types.js';
import type { Db } from './database.js';

export interface CustomerRecord extends Customer {
  rowId: number;
  nameSource: 'whatsapp' | 'flow' | 'staff' | 'import';
  firstContactAt: number | null;
  lastContactAt: number | null;
  /** When the customer last wrote to the shop; null if they never did. */
  wroteAt: number | null;
  importedAt: number | null;
  /** When the check-in planner expects the next check-in; null when none is planned. */
  checkinDueAt: number | null;
}

/**
 * A customer and their conversation as a turn left them (written in its transaction): what the check-in planner
 * would otherwise read back.
 */
export interface CustomerInTurn {
  customer: CustomerRecord;
  conversation: Conversation | null;
}

/** What `save` writes: the columns a flow, staff or an import change, and the contact times. */
export type CustomerChange = Customer & Partial<Pick<CustomerRecord, 'firstContactAt' | 'lastContactAt' | 'wroteAt'>>;

/** Column → its value in a record, for the columns `save` compares. */
const SAVED_COLUMNS: Record<string, (c: CustomerChange & { nameSource: CustomerRecord['nameSource'] }) => unknown> = {
  phone: (c) => c.phone,
  name: (c) => c.name,
  name_source: (c) => c.nameSource,
  tags: (c) => JSON.stringify(c.tags),
  counters: (c) => JSON.stringify(c.counters),
  vars: (c) => JSON.stringify(c.vars),
  opted_out: (c) => (c.optedOut ? 1 : 0),
  first_contact_at: (c) => c.firstContactAt,
  last_contact_at: (c) => c.lastContactAt,
  last_inbound_at: (c) => c.wroteAt,
};

/**
 * A customer's message arriving for its turn: the customer as stored, and as the message's contact leaves them
 * (`contacted`: phone, the WhatsApp name unless a flow or staff named them, contact times). Nothing is written
 * yet: `saveTurn` writes the contact with what the turn changed, in one UPDATE.
 */
export interface Arrival {
  stored: CustomerRecord;
  contacted: CustomerRecord;
}

/** The record after a message the shop sent at `at`, as `touchSent` writes it. */
export function withSentContact(record: CustomerRecord, at: number): CustomerRecord {
  return { ...record, firstContactAt: record.firstContactAt ?? at, lastContactAt: Math.max(record.lastContactAt ?? 0, at) };
}

/** The record after a contact at `at` (a message in either direction; `details.inbound`: the customer wrote it). */
function withContact(record: CustomerRecord, at: number, details: ContactDetails): CustomerRecord {
  const pushName = details.pushName || null;
  return {
    ...withSentContact(record, at),
    phone: details.phone ?? record.phone,
    name: record.nameSource === 'whatsapp' && pushName !== null ? pushName : record.name,
    wroteAt: details.inbound ? Math.max(record.wroteAt ?? 0, at) : record.wroteAt,
  };
}

interface Row {
  id: number;
  wa_id: string;
  phone: string | null;
  name: string | null;
  name_source: CustomerRecord['nameSource'];
  tags: string;
  counters: string;
  vars: string;
  opted_out: number;
  first_contact_at: number | null;
  last_contact_at: number | null;
  last_inbound_at: number | null;
  imported_at: number | null;
  checkin_due_at: number | null;
}

function fromRow(row: Row): CustomerRecord {
  return {
    rowId: row.id,
    id: row.wa_id,
    phone: row.phone,
    name: row.name,
    nameSource: row.name_source,
    tags: JSON.parse(row.tags) as string[],
    counters: JSON.parse(row.counters) as Record<string, number>,
    vars: JSON.parse(row.vars) as Record<string, string>,
    optedOut: row.opted_out === 1,
    firstContactAt: row.first_contact_at,
    lastContactAt: row.last_contact_at,
    wroteAt: row.last_inbound_at,
    importedAt: row.imported_at,
    checkinDueAt: row.checkin_due_at,
  };
}

export interface ContactDetails {
  phone?: string | null;
  /** The name WhatsApp shows for the customer; used until a flow or staff sets one. */
  pushName?: string | null;
  /** The customer wrote this contact (rather than the shop). */
  inbound?: boolean;
}

export class CustomerStore {
  private readonly byWaId;
  private readonly byRowId;
  private readonly setDue;
  private readonly dueStmt;
  private readonly idsStmt;
  private readonly dueCountStmt;
  private readonly insert;
  private readonly touchSentStmt;
  private readonly idStmt;
  /** UPDATE statements by the columns they set: a turn writes only what changed. */
  private readonly updates = new Map<string, Statement>();
  private readonly delete;
  private readonly setImported;

  constructor(private readonly db: Db) {
    this.idStmt = db.prepare<[string], number>('SELECT id FROM customers WHERE wa_id = ?').pluck();
    this.byWaId = db.prepare<[string], Row>('SELECT * FROM customers WHERE wa_id = ?');
    this.byRowId = db.prepare<[number], Row>('SELECT * FROM customers WHERE id = ?');
    this.dueCountStmt = db.prepare<[number], number>('SELECT count(*) FROM customers WHERE checkin_due_at <= ?').pluck();
    this.idsStmt = db.prepare<[number, number], number>('SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?').pluck();
    this.setDue = db.prepare('UPDATE customers SET checkin_due_at = ? WHERE id = ?');
    this.dueStmt = db.prepare<[number, number], number>('SELECT id FROM customers WHERE checkin_due_at <= ? ORDER BY checkin_due_at, id LIMIT ?').pluck();
    this.insert = db.prepare(
      `INSERT INTO customers (wa_id, phone, name, name_source, tags, counters, vars, created_at)
       VALUES (@waId, @phone, @name, @nameSource, @tags, @counters, @vars, @now)
       ON CONFLICT (wa_id) DO NOTHING`,
    );
    this.touchSentStmt = db.prepare(
      `UPDATE customers SET first_contact_at = coalesce(first_contact_at, @at), last_contact_at = max(coalesce(last_contact_at, 0), @at)
       WHERE id = @rowId`,
    );
    this.delete = db.prepare('DELETE FROM customers WHERE wa_id = ?');
    this.setImported = db.prepare('UPDATE customers SET imported_at = ? WHERE id = ? AND imported_at IS NULL AND last_inbound_at IS NULL');
  }

  get(waId: string): CustomerRecord | undefined {
    const row = this.byWaId.get(waId);
    return row && fromRow(row);
  }

  /** Creates the customer if new; fills in `tags`, `counters` and `vars` only then. */
  create(waId: string, now: number, initial: Partial<Pick<Customer, 'name' | 'phone' | 'tags' | 'counters' | 'vars'>> = {}, nameSource: CustomerRecord['nameSource'] = 'whatsapp'): void {
    this.insert.run({
      waId,
      phone: initial.phone ?? null,
      name: initial.name ?? null,
      nameSource,
      tags: JSON.stringify(initial.tags ?? []),
      counters: JSON.stringify(initial.counters ?? {}),
      vars: JSON.stringify(initial.vars ?? {}),
      now,
    });
  }

  /** Records a contact (a message in either direction), creating the customer on first contact. */
  contact(waId: string, at: number, details: ContactDetails = {}): CustomerRecord {
    const arrival = this.arrival(waId, at, details);
    return this.saveTurn(arrival, arrival.contacted);
  }

  /** See `Arrival`; creates the customer on first contact. */
  arrival(waId: string, at: number, details: ContactDetails = {}): Arrival {
    let stored = this.get(waId);
    if (!stored) {
      this.create(waId, at);
      stored = this.get(waId)!;
    }
    return { stored, contacted: withContact(stored, at, details) };
  }

  /**
   * Writes a turn's changes to a customer in one UPDATE: the contact its message brought (`arrival`) and what the
   * turn changed (`after`, made from `arrival.contacted`). Returns the customer as now stored.
   */
  saveTurn(arrival: Arrival, after: CustomerChange): CustomerRecord {
    const { stored, contacted } = arrival;
    return this.save(stored, after, after.name === contacted.name ? contacted.nameSource : 'flow');
  }

  /** The customer's row id, creating them if new; records no contact (the message's turn does). */
  ensure(waId: string, now: number): number {
    const id = this.idStmt.get(waId);
    if (id !== undefined) return id;
    this.create(waId, now);
    return this.idStmt.get(waId)!;
  }

  /** Like `contact`, for when the customer is not needed. */
  touchContact(waId: string, at: number, details: ContactDetails = {}): void {
    this.contact(waId, at, details);
  }

  /** Records a message the shop sent: the cheap form of `touchContact` for a customer who exists. */
  touchSent(rowId: number, at: number): void {
    this.touchSentStmt.run({ rowId, at });
  }

  getById(rowId: number): CustomerRecord | undefined {
    const row = this.byRowId.get(rowId);
    return row && fromRow(row);
  }

  /** Records when the next check-in falls due (null: none planned), for the sweep's indexed query. */
  planCheckin(rowId: number, at: number | null): void {
    this.setDue.run(at, rowId);
  }

  /** Every customer's row id, in batches of `size`: for walking all customers without holding them in memory. */
  *idBatches(size: number): Generator<number[]> {
    for (let ids = this.idsStmt.all(0, size); ids.length; ids = this.idsStmt.all(ids[ids.length - 1]!, size)) yield ids;
  }

  countCheckinsDue(now: number): number {
    return this.dueCountStmt.get(now)!;
  }

  /** Row ids of the customers whose planned check-in is due by `now`, longest due first. */
  checkinsDue(now: number, limit: number): number[] {
    return this.dueStmt.all(now, limit);
  }

  /**
   * Records that an import brought the customer in. Only the first import counts, and never for a customer who
   * wrote to the shop: they are the shop's customer by their own doing.
   */
  markImported(rowId: number, at: number): void {
    this.setImported.run(at, rowId);
  }

  /** Forgets a customer with their conversation, messages and escalations. */
  remove(waId: string): void {
    this.delete.run(waId);
  }

  /**
   * Saves what a flow (or staff, an import) changed, and the contact times when `after` carries them: one UPDATE
   * of only the columns that differ from `before` (as stored), none when nothing did. A name that differs from
   * the stored one was set by `nameSource`. Returns the customer as now stored.
   */
  save(before: CustomerRecord, after: CustomerChange, nameSource: CustomerRecord['nameSource'] = 'flow'): CustomerRecord {
    const saved: CustomerRecord = { ...before, ...after, rowId: before.rowId, id: before.id, nameSource: after.name === before.name ? before.nameSource : nameSource };
    const values: Record<string, unknown> = { rowId: before.rowId };
    for (const [column, valueOf] of Object.entries(SAVED_COLUMNS)) {
      const value = valueOf(saved);
      if (value !== valueOf(before)) values[column] = value;
    }
    const columns = Object.keys(values).slice(1);
    if (columns.length) this.updateOf(columns).run(values);
    return saved;
  }

  private updateOf(columns: string[]): Statement {
    const key = columns.join(',');
    let statement = this.updates.get(key);
    if (!statement) {
      statement = this.db.prepare(`UPDATE customers SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @rowId`);
      this.updates.set(key, statement);
    }
    return statement;
  }
}
