/** Check-ins as the core sees them: rules owners write under `checkins:` and the settings under `settings.checkins`. */
import type { Condition, WeeklyHours } from '../flow/types.js';

export interface CheckinRule {
  name: string;
  /** Who the rule is for: any condition of the flow language. */
  who: Condition;
  /** Recurring: this long after the last contact in either direction. */
  everyMs?: number;
  /** Once: this long after the customer came to match `who`. */
  afterMs?: number;
  /** The flow that is the check-in conversation. */
  flow: string;
}

export interface CheckinSettings {
  /** When check-ins may go out, in the shop's time zone (days and times; holidays closed). */
  window: WeeklyHours;
  /** Messages the shop starts per minute, all customers together. */
  maxPerMinute: number;
  /** At most one check-in per customer in this period, all rules together. */
  minGapMs: number;
  /** How long a question asked by a check-in flow waits for its answer (instead of idle_reset). */
  answerWindowMs: number;
  /** Whether imported customers who never wrote may be checked in with. */
  allowImported: boolean;
}

export interface Checkins {
  settings: CheckinSettings;
  /** In the order owners wrote them: when two fall due at once, the first wins. */
  rules: CheckinRule[];
}
