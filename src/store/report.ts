/**
 * The figures behind the owner's report, read for one period at a time: how many customers wrote, the
 * escalations opened (with their response and release times), the check-ins sent and the answers to those that
 * ask for a rating. Each query reads one time range through an index, so a period costs what happened in it,
 * not the size of the shop's history.
 */
import type { CheckinCounts, CheckinStore } from './checkins.js';
import type { Db } from './database.js';

/** A span of time, [from, to) in epoch ms. */
export interface Period {
  from: number;
  to: number;
}

/** One escalation opened in the period, with the moments that make its response and resolution times. */
export interface EscalationTimes {
  createdAt: number;
  firstResponseAt: number | null;
  releasedAt: number | null;
  /** Handed back to the bot because staff went quiet, rather than released by a person. */
  autoReleased: boolean;
}

/** Everything a report needs about one period; escalations and check-ins count by when they began. */
export interface PeriodFigures {
  /** Customers who wrote at least once in the period. */
  conversations: number;
  escalations: EscalationTimes[];
  checkins: CheckinCounts;
  /** The customers' first replies to check-ins of the rating flows sent in the period. */
  ratingAnswers: string[];
}

export class ReportStore {
  private readonly conversationsStmt;
  private readonly escalationsStmt;
  private readonly answersStmt;

  constructor(
    db: Db,
    private readonly checkins: CheckinStore,
  ) {
    this.conversationsStmt = db
      .prepare<[Period], number>(`SELECT count(DISTINCT customer_id) FROM messages WHERE direction = 'in' AND at >= @from AND at < @to`)
      .pluck();
    this.escalationsStmt = db.prepare<[Period], Omit<EscalationTimes, 'autoReleased'> & { autoReleased: 0 | 1 }>(
      `SELECT created_at AS createdAt, first_response_at AS firstResponseAt, released_at AS releasedAt,
              EXISTS (SELECT 1 FROM escalation_events v WHERE v.escalation_id = e.id AND v.kind = 'auto_released') AS autoReleased
       FROM escalations e WHERE created_at >= @from AND created_at < @to`,
    );
    this.answersStmt = db
      .prepare<[Period & { flows: string }], string>(
        `SELECT answer FROM checkins
         WHERE sent_at >= @from AND sent_at < @to AND answer IS NOT NULL AND flow IN (SELECT value FROM json_each(@flows))`,
      )
      .pluck();
  }

  /** Customers who wrote at least once in the period. */
  conversations(period: Period): number {
    return this.conversationsStmt.get(period)!;
  }

  /** The escalations opened in the period, whatever became of them since. */
  escalations(period: Period): EscalationTimes[] {
    return this.escalationsStmt.all(period).map((row) => ({ ...row, autoReleased: row.autoReleased === 1 }));
  }

  /** Answers to the check-ins of these flows sent in the period. */
  answers(period: Period, flows: readonly string[]): string[] {
    return this.answersStmt.all({ ...period, flows: JSON.stringify(flows) });
  }

  figures(period: Period, ratingFlows: readonly string[]): PeriodFigures {
    return {
      conversations: this.conversations(period),
      escalations: this.escalations(period),
      checkins: this.checkins.counts(period.from, period.to),
      ratingAnswers: this.answers(period, ratingFlows),
    };
  }
}
