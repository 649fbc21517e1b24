/** The conversation state per customer: what the bot waits for, and whether staff have the conversation. */
import type { Conversation, StepPath } from '../core/flow/types.js';
import type { Db } from './database.js';

interface Row {
  flow: string | null;
  step: string | null;
  waiting: 'ask' | 'menu' | null;
  retries: number;
  flow_version: string | null;
  step_key: string | null;
  escalated: number;
  paused_until: number | null;
  waiting_checkin: number;
  last_activity_at: number;
}

function fromRow(row: Row): Conversation {
  const waiting =
    row.waiting && row.flow && row.step && row.flow_version && row.step_key
      ? {
          kind: row.waiting,
          flow: row.flow,
          path: JSON.parse(row.step) as StepPath,
          flowVersion: row.flow_version,
          stepKey: row.step_key,
          retries: row.retries,
          ...(row.waiting_checkin === 1 && { checkin: true }),
        }
      : null;
  return { waiting, escalated: row.escalated === 1, pausedUntil: row.paused_until, lastActivityAt: row.last_activity_at };
}

export class ConversationStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[number], Row>('SELECT * FROM conversations WHERE customer_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO conversations (customer_id, flow, step, waiting, retries, flow_version, step_key, escalated, paused_until, waiting_checkin, last_activity_at, updated_at)
       VALUES (@customerId, @flow, @step, @waiting, @retries, @flowVersion, @stepKey, @escalated, @pausedUntil, @waitingCheckin, @lastActivityAt, @now)
       ON CONFLICT (customer_id) DO UPDATE SET flow = excluded.flow, step = excluded.step, waiting = excluded.waiting,
         retries = excluded.retries, flow_version = excluded.flow_version, step_key = excluded.step_key,
         escalated = excluded.escalated, paused_until = excluded.paused_until, waiting_checkin = excluded.waiting_checkin,
         last_activity_at = excluded.last_activity_at, updated_at = excluded.updated_at`,
    );
  }

  /** null when the customer has never talked with the bot. */
  get(customerId: number): Conversation | null {
    const row = this.select.get(customerId);
    return row ? fromRow(row) : null;
  }

  save(customerId: number, conversation: Conversation, now: number): void {
    const { waiting } = conversation;
    this.upsert.run({
      customerId,
      flow: waiting?.flow ?? null,
      step: waiting ? JSON.stringify(waiting.path) : null,
      waiting: waiting?.kind ?? null,
      retries: waiting?.retries ?? 0,
      flowVersion: waiting?.flowVersion ?? null,
      stepKey: waiting?.stepKey ?? null,
      escalated: conversation.escalated ? 1 : 0,
      pausedUntil: conversation.pausedUntil,
      waitingCheckin: waiting?.checkin ? 1 : 0,
      lastActivityAt: conversation.lastActivityAt,
      now,
    });
  }
}
