/**
 * The check-in log: every check-in sent, keyed by its job id so that a job BullMQ delivers twice sends once;
 * and when customers came to match the rules that check in once (`after`).
 */
import type { Db } from './database.js';

export interface CheckinCounts {
  sent: number;
  answered: number;
}

/** What the planner reads of a customer's check-ins: when each rule last checked in, and when `after` rules matched. */
export interface CheckinHistory {
  sentAt: Record<string, number>;
  matchedAt: Record<string, number>;
}

export class CheckinStore {
  private readonly insert;
  private readonly historyStmt;
  private readonly clearMatches;
  private readonly insertMatch;
  private readonly answer;
  private readonly countsStmt;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO checkins (job_id, customer_id, rule, flow, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING`,
    );
    // One statement for both: the planner reads them on every change to a customer.
    this.historyStmt = db.prepare<[{ id: number }], { matched: 0 | 1; rule: string; at: number }>(
      `SELECT 0 AS matched, rule, max(sent_at) AS at FROM checkins WHERE customer_id = @id GROUP BY rule
       UNION ALL SELECT 1, rule, matched_at FROM checkin_matches WHERE customer_id = @id`,
    );
    this.clearMatches = db.prepare('DELETE FROM checkin_matches WHERE customer_id = ?');
    this.insertMatch = db.prepare('INSERT INTO checkin_matches (customer_id, rule, matched_at) VALUES (?, ?, ?)');
    this.answer = db.prepare('UPDATE checkins SET answered_at = ?, answer = ? WHERE customer_id = ? AND answered_at IS NULL AND sent_at <= ?');
    this.countsStmt = db.prepare<[{ from: number; to: number }], CheckinCounts>(
      `SELECT count(*) AS sent, coalesce(sum(answered_at IS NOT NULL), 0) AS answered FROM checkins WHERE sent_at >= @from AND sent_at < @to`,
    );
  }

  /** Records a check-in about to be sent; false when this job already sent it. */
  record(jobId: string, customerId: number, rule: string, flow: string, at: number): boolean {
    return this.insert.run(jobId, customerId, rule, flow, at).changes === 1;
  }

  /** When each rule last checked in with the customer, and when they came to match each `after` rule they match now. */
  history(customerId: number): CheckinHistory {
    const history: CheckinHistory = { sentAt: {}, matchedAt: {} };
    for (const { matched, rule, at } of this.historyStmt.all({ id: customerId })) (matched ? history.matchedAt : history.sentAt)[rule] = at;
    return history;
  }

  saveMatches(customerId: number, matches: Record<string, number>): void {
    this.clearMatches.run(customerId);
    for (const [rule, at] of Object.entries(matches)) this.insertMatch.run(customerId, rule, at);
  }

  /** The customer wrote: the check-ins before this message are answered with its text, and their cycle ends. */
  markAnswered(customerId: number, at: number, answer: string): void {
    this.answer.run(at, answer, customerId, at);
  }

  counts(from: number, to: number): CheckinCounts {
    return this.countsStmt.get({ from, to })!;
  }
}
