/**
 * Escalations: conversations handed to staff, from waiting through claimed to released. Every state change is
 * also written to escalation_events (who, when), so response and resolution times can be reported.
 */
import type { Db } from './database.js';

export type EscalationStatus = 'waiting' | 'claimed' | 'released';

export type EscalationEventKind = 'opened' | 'notified' | 'reminded' | 'alerted' | 'claimed' | 'replied' | 'transferred' | 'released' | 'auto_released';

/** A recorded event that staff should hear about: a new escalation, or one handed to a colleague (`target`). */
export interface AlertEvent {
  id: number;
  kind: 'opened' | 'transferred';
  actor: string | null;
  target: string | null;
}

/** Who handed the escalation to whom, and when. */
export interface Transfer {
  by: string;
  to: string;
  at: number;
}

export interface Escalation {
  id: number;
  customerId: number;
  reason: string;
  status: EscalationStatus;
  createdAt: number;
  claimedBy: string | null;
  claimedAt: number | null;
  /** The first staff message after it opened: first-response time is this minus `createdAt`. */
  firstResponseAt: number | null;
  /** The latest staff message or claim; a claimed escalation returns to the bot `release_after` later. */
  lastStaffAt: number | null;
  releasedAt: number | null;
  releasedBy: string | null;
}

interface Row {
  id: number;
  customer_id: number;
  reason: string;
  status: EscalationStatus;
  created_at: number;
  claimed_by: string | null;
  claimed_at: number | null;
  first_response_at: number | null;
  last_staff_at: number | null;
  released_at: number | null;
  released_by: string | null;
}

function fromRow(row: Row): Escalation {
  return {
    id: row.id,
    customerId: row.customer_id,
    reason: row.reason,
    status: row.status,
    createdAt: row.created_at,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    firstResponseAt: row.first_response_at,
    lastStaffAt: row.last_staff_at,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
  };
}

export class EscalationStore {
  private readonly insert;
  private readonly openFor;
  private readonly byIdStmt;
  private readonly allOpen;
  private readonly claimStmt;
  private readonly staffStmt;
  private readonly releaseStmt;
  private readonly insertEvent;
  private readonly hasEventStmt;
  private readonly transferStmt;
  private readonly latestEventStmt;
  private readonly latestAlertStmt;
  private readonly latestHandlingStmt;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO escalations (customer_id, reason, status, created_at) VALUES (?, ?, 'waiting', ?)`);
    this.openFor = db.prepare<[number], Row>(`SELECT * FROM escalations WHERE customer_id = ? AND status != 'released' ORDER BY id DESC LIMIT 1`);
    this.byIdStmt = db.prepare<[number], Row>('SELECT * FROM escalations WHERE id = ?');
    this.allOpen = db.prepare<[], Row>(`SELECT * FROM escalations WHERE status != 'released' ORDER BY id`);
    this.claimStmt = db.prepare(
      `UPDATE escalations SET status = 'claimed', claimed_by = @actor, claimed_at = @at, last_staff_at = max(coalesce(last_staff_at, 0), @at)
       WHERE id = @id AND status != 'released' AND (status = 'waiting' OR claimed_by IS NOT @actor)`,
    );
    this.staffStmt = db.prepare(
      `UPDATE escalations SET first_response_at = coalesce(first_response_at, @at), last_staff_at = @at WHERE id = @id`,
    );
    this.releaseStmt = db.prepare(`UPDATE escalations SET status = 'released', released_at = @at, released_by = @actor WHERE id = @id AND status != 'released'`);
    this.insertEvent = db.prepare('INSERT INTO escalation_events (escalation_id, kind, actor, at, target) VALUES (?, ?, ?, ?, ?)');
    this.hasEventStmt = db.prepare<[number, string], { found: number }>('SELECT 1 AS found FROM escalation_events WHERE escalation_id = ? AND kind = ? LIMIT 1');
    this.transferStmt = db.prepare(
      `UPDATE escalations SET status = 'claimed', claimed_by = @to, claimed_at = @at, last_staff_at = max(coalesce(last_staff_at, 0), @at)
       WHERE id = @id AND status != 'released' AND claimed_by IS NOT @to`,
    );
    this.latestEventStmt = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM escalation_events').pluck();
    this.latestAlertStmt = db.prepare<[number], AlertEvent>(
      `SELECT id, kind, actor, target FROM escalation_events WHERE escalation_id = ? AND kind IN ('opened', 'transferred') ORDER BY id DESC LIMIT 1`,
    );
    this.latestHandlingStmt = db.prepare<[number], { kind: EscalationEventKind; actor: string | null; target: string | null; at: number }>(
      `SELECT kind, actor, target, at FROM escalation_events WHERE escalation_id = ? AND kind IN ('claimed', 'replied', 'transferred') ORDER BY id DESC LIMIT 1`,
    );
  }

  /** Opens an escalation for the customer; returns its id. */
  open(customerId: number, reason: string, at: number): number {
    const id = Number(this.insert.run(customerId, reason, at).lastInsertRowid);
    this.event(id, 'opened', null, at);
    return id;
  }

  /** The customer's open (waiting or claimed) escalation. */
  current(customerId: number): Escalation | undefined {
    const row = this.openFor.get(customerId);
    return row && fromRow(row);
  }

  byId(id: number): Escalation | undefined {
    const row = this.byIdStmt.get(id);
    return row && fromRow(row);
  }

  /** Every escalation not yet released, oldest first. */
  unreleased(): Escalation[] {
    return this.allOpen.all().map(fromRow);
  }

  /** `actor` takes the escalation (from waiting, or from a colleague); false when nothing changed. */
  claim(id: number, actor: string, at: number): boolean {
    if (this.claimStmt.run({ id, actor, at }).changes === 0) return false;
    this.event(id, 'claimed', actor, at);
    return true;
  }

  /**
   * A staff member wrote to the customer: the first response is known, the auto-release clock restarts, and a
   * waiting escalation is claimed by whoever answered.
   */
  staffWrote(id: number, actor: string, at: number): void {
    const before = this.byId(id);
    if (!before || before.status === 'released') return;
    if (before.status === 'waiting') this.claim(id, actor, at);
    this.staffStmt.run({ id, at });
    this.event(id, 'replied', actor, at);
  }

  /**
   * `by` hands the escalation to the colleague `to`, who holds it from now on (their silence counts from now);
   * false when it is released or `to` holds it already.
   */
  transfer(id: number, by: string, to: string, at: number): boolean {
    if (this.transferStmt.run({ id, to, at }).changes === 0) return false;
    this.event(id, 'transferred', by, at, to);
    return true;
  }

  /** The transfer that gave the escalation its holder, while nobody has claimed it or written since. */
  freshTransfer(id: number): Transfer | undefined {
    const row = this.latestHandlingStmt.get(id);
    return row?.kind === 'transferred' && row.actor && row.target ? { by: row.actor, to: row.target, at: row.at } : undefined;
  }

  /** The newest event id: live streams alert only of events after the one current when they opened. */
  latestEventId(): number {
    return this.latestEventStmt.get()!;
  }

  /** The escalation's latest event worth an alert (it opened, or was transferred). */
  latestAlert(id: number): AlertEvent | undefined {
    return this.latestAlertStmt.get(id);
  }

  /** Ends the escalation; false when it was already released. */
  release(id: number, actor: string, at: number, kind: 'released' | 'auto_released' = 'released'): boolean {
    if (this.releaseStmt.run({ id, actor, at }).changes === 0) return false;
    this.event(id, kind, actor, at);
    return true;
  }

  event(id: number, kind: EscalationEventKind, actor: string | null, at: number, target: string | null = null): void {
    this.insertEvent.run(id, kind, actor, at, target);
  }

  /** Whether this happened to the escalation already (a reminder sent, say): jobs delivered twice act once. */
  hasEvent(id: number, kind: EscalationEventKind): boolean {
    return this.hasEventStmt.get(id, kind) !== undefined;
  }
}
