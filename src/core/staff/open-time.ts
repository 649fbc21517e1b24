/**
 * Time counted only while the shop is open: "remind staff after 5 minutes" means 5 minutes of opening time, so an
 * escalation that arrives just before closing is reminded shortly after the next opening, not in the night.
 * Pure: the time is always passed in.
 */
import dayjs, { type Dayjs } from 'dayjs';
import { localTime } from '../flow/hours.js';
import type { WeeklyHours } from '../flow/types.js';

/** Days in a row without any opening after which the shop is taken never to open (as `nextOpening` does). */
const CLOSED_DAYS_LIMIT = 370;
const MINUTES_PER_DAY = 24 * 60;

/**
 * The moment when `ms` of opening time has passed since `from`. Closed stretches (nights, lunch breaks, closed
 * days, holidays) do not count; `hours` null means always open. Infinity when the shop never opens again.
 */
export function addOpenTime(hours: WeeklyHours | null, zone: string, from: number, ms: number): number {
  if (!hours) return from + ms;
  let left = ms;
  let closedDays = 0;
  for (let day = localTime(from, zone); closedDays < CLOSED_DAYS_LIMIT; day = day.add(1, 'day')) {
    const periods = openPeriods(hours, zone, day);
    closedDays = periods.length ? 0 : closedDays + 1;
    for (const [open, close] of periods) {
      const start = Math.max(open, from);
      if (start >= close) continue; // over before `from`
      if (start + left <= close) return start + left;
      left -= close - start;
    }
  }
  return Infinity;
}

/** The shop's opening periods on the local date of `day`, as [open, close) timestamps. */
function openPeriods(hours: WeeklyHours, zone: string, day: Dayjs): Array<[number, number]> {
  const date = day.format('YYYY-MM-DD');
  if (hours.closedDates.has(date)) return [];
  return hours.days[day.day()]!.map(([open, close]) => [atLocal(date, open, zone), atLocal(date, close, zone)]);
}

/**
 * The timestamp of a minute of a local date ("24:00" is the next midnight). Built from the written date and time,
 * not by adding minutes to midnight, so that a daylight-saving day still opens at the written hour.
 */
function atLocal(date: string, minute: number, zone: string): number {
  if (minute >= MINUTES_PER_DAY) return atLocal(dayjs(date).add(1, 'day').format('YYYY-MM-DD'), minute - MINUTES_PER_DAY, zone);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return dayjs.tz(`${date} ${hh}:${mm}`, zone).valueOf();
}
