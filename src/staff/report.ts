/**
 * The owner's report, computed from the figures the store reads for a period: conversations, escalations and
 * how fast staff answered them, check-ins and the satisfaction ratings customers gave. `setia report` prints it;
 * the owner's web page shows it with one bar per week. Pure: the store is read by the caller.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { localTime } from '../core/flow/hours.js';
import type { FlowSet } from '../core/flow/types.js';
import { ConfigError } from '../errors.js';
import type { EscalationTimes, Period, PeriodFigures } from '../store/report.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export type Rating = 1 | 2 | 3 | 4 | 5;

export interface Report extends Period {
  /** Customers who wrote at least once. */
  conversations: number;
  /** Escalations opened in the period, by what became of them: opened = released + autoReleased + stillOpen. */
  escalations: { opened: number; released: number; autoReleased: number; stillOpen: number };
  /** From opening to the first staff message, over the escalations that got one; null when none did. */
  firstResponse: { count: number; medianMs: number | null; p90Ms: number | null };
  /** From opening to release by a person (auto-released ones are left out: their length is the release_after setting). */
  resolution: { count: number; medianMs: number | null };
  /** Check-ins sent in the period, and how many of them the customer answered; answerRate is 0–1. */
  checkins: { sent: number; answered: number; answerRate: number | null };
  /** Ratings read from the answers to rating check-ins sent in the period. */
  satisfaction: { count: number; average: number | null; distribution: Record<Rating, number> };
}

/** A week of a period, cut to the period: the first may begin after its Monday, the last end before the next. */
export interface Week extends Period {
  /** The Monday it starts on, YYYY-MM-DD in the shop's time zone. */
  weekStart: string;
}

/** One bar of the owner's weekly chart. */
export interface WeekEntry extends Week {
  conversations: number;
  escalations: number;
  firstResponseMedianMs: number | null;
  checkinsSent: number;
  checkinsAnswered: number;
  satisfactionAverage: number | null;
}

const DEFAULT_REPORT_DAYS = 30;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rating as the shipped `checkin_satisfaction` flow reads it (flows/checkins.yaml): its `expect` and its
 * branches look for a lone digit 1–5 after at most 15 other characters ("4", "nilai 5", "5 mantap!"), with the
 * unicode flag flows compile with. "10", "terima kasih" or "barangnya belum sampai 2 minggu" hold no rating.
 */
const RATING = /^\D{0,15}\b([1-5])\b/u;

export function readRating(answer: string): Rating | undefined {
  const match = RATING.exec(answer.trim());
  return match ? (Number(match[1]) as Rating) : undefined;
}

/**
 * The check-in flows that ask for a rating: their first question saves the answer as `rating`, as the shipped
 * `checkin_satisfaction` does. Only their answers count: a reply to a thank-you ("ok, 2 hari lagi ya") is no rating.
 */
export function ratingFlows(flows: FlowSet): string[] {
  const names = new Set(flows.checkins.rules.map((rule) => rule.flow));
  return [...names].filter((name) => {
    const question = flows.flows.get(name)?.steps.find((step) => typeof step === 'object' && ('ask' in step || 'menu' in step));
    return question !== undefined && 'ask' in question && question.save === 'rating';
  });
}

/**
 * The value below which `share` (0–1) of the sorted values lie, by nearest rank: always a time that really
 * happened, and "90% were answered within it" holds as written. Null for no values.
 */
export function percentile(sorted: readonly number[], share: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

/** Milliseconds from opening to `end`, for the escalations where it happened, shortest first. */
function durations(escalations: EscalationTimes[], end: (escalation: EscalationTimes) => number | null): number[] {
  const ms: number[] = [];
  for (const escalation of escalations) {
    const at = end(escalation);
    if (at !== null) ms.push(at - escalation.createdAt);
  }
  return ms.sort((a, b) => a - b);
}

function satisfaction(answers: string[]): Report['satisfaction'] {
  const distribution: Record<Rating, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let count = 0;
  let sum = 0;
  for (const rating of answers.map(readRating)) {
    if (rating === undefined) continue;
    distribution[rating]++;
    count++;
    sum += rating;
  }
  return { count, average: count ? sum / count : null, distribution };
}

export function buildReport(period: Period, figures: PeriodFigures): Report {
  const { escalations, checkins } = figures;
  const released = escalations.filter((e) => e.releasedAt !== null && !e.autoReleased);
  const autoReleased = escalations.filter((e) => e.autoReleased).length;
  const responses = durations(escalations, (e) => e.firstResponseAt);
  const resolutions = durations(released, (e) => e.releasedAt);
  return {
    from: period.from,
    to: period.to,
    conversations: figures.conversations,
    escalations: { opened: escalations.length, released: released.length, autoReleased, stillOpen: escalations.length - released.length - autoReleased },
    firstResponse: { count: responses.length, medianMs: percentile(responses, 0.5), p90Ms: percentile(responses, 0.9) },
    resolution: { count: resolutions.length, medianMs: percentile(resolutions, 0.5) },
    checkins: { ...checkins, answerRate: checkins.sent ? checkins.answered / checkins.sent : null },
    satisfaction: satisfaction(figures.ratingAnswers),
  };
}

/** Midnight starting a calendar date in the zone; built from the date, so a daylight-saving day stays a day. */
function startOfDate(date: string, zone: string): number {
  return dayjs.tz(date, zone).valueOf();
}

function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

/** The weeks (Monday to Monday in the shop's time zone) that overlap the period. */
export function weeksOf(period: Period, zone: string): Week[] {
  const first = localTime(period.from, zone);
  const firstMonday = addDays(first.format('YYYY-MM-DD'), -((first.day() + 6) % 7));
  const weeks: Week[] = [];
  for (let monday = firstMonday; startOfDate(monday, zone) < period.to; monday = addDays(monday, 7)) {
    const start = startOfDate(monday, zone);
    const end = startOfDate(addDays(monday, 7), zone);
    weeks.push({ weekStart: monday, from: Math.max(start, period.from), to: Math.min(end, period.to) });
  }
  return weeks;
}

/** One entry a week for the owner's chart; `read` gives the store's figures for a span of time. */
export function weeklyReport(period: Period, zone: string, read: (week: Period) => PeriodFigures): WeekEntry[] {
  return weeksOf(period, zone).map(({ weekStart, ...week }) => {
    const report = buildReport(week, read(week));
    return {
      weekStart,
      ...week,
      conversations: report.conversations,
      escalations: report.escalations.opened,
      firstResponseMedianMs: report.firstResponse.medianMs,
      checkinsSent: report.checkins.sent,
      checkinsAnswered: report.checkins.answered,
      satisfactionAverage: report.satisfaction.average,
    };
  });
}

/** A calendar date as YYYY-MM-DD, checked to exist; `option` names it in the error. */
function parseDate(text: string, option: string): string {
  const valid = DATE.test(text) && dayjs.utc(text).format('YYYY-MM-DD') === text;
  if (!valid) throw new ConfigError(option, 'a date as YYYY-MM-DD', text);
  return text;
}

/**
 * The period of whole days from `from` to `to` (both included) in the shop's time zone. Without `to` it runs
 * until now; without `from` it covers the 30 days that end with `to` (or today).
 */
export function reportPeriod(dates: { from?: string; to?: string }, zone: string, now: number): Period {
  const to = dates.to === undefined ? undefined : parseDate(dates.to, '--to');
  const from = dates.from === undefined ? undefined : parseDate(dates.from, '--from');
  if (from !== undefined && to !== undefined && from > to) throw new ConfigError('--to', `a date on or after --from (${from})`, to);
  const lastDay = to ?? localTime(now, zone).format('YYYY-MM-DD');
  const firstDay = from ?? addDays(lastDay, 1 - DEFAULT_REPORT_DAYS);
  return { from: startOfDate(firstDay, zone), to: to === undefined ? now : startOfDate(addDays(to, 1), zone) };
}

const UNITS = ['d', 'h', 'm', 's'];

/** A duration as owners read it, in its two largest units: "45s", "4m 10s", "1h 5m", "2d 3h", "1h". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const amounts = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  const first = amounts.findIndex((amount) => amount > 0);
  if (first === -1) return '0s';
  return [first, first + 1]
    .filter((i) => i < UNITS.length && amounts[i]! > 0)
    .map((i) => `${amounts[i]}${UNITS[i]}`)
    .join(' ');
}
