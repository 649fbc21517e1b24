/**
 * Dates as customers write them in a chat, relative to the shop's today: "besok", "lusa", "sabtu", "sabtu depan",
 * "17 Agustus", "17 agt 2027", "tgl 3", "3/12", "3-12-2026", "2026-12-03". Without a year, a date never lies in
 * the past: a day already gone this year means next year. Anything pointing back ("kemarin", "sabtu lalu"),
 * ambiguous ("minggu depan": next week or next Sunday?) or naming two different days gives nothing.
 * Pure calendar arithmetic on UTC dates; the caller works out today in the shop's time zone.
 */
import { fold } from './normalize.js';

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const RELATIVE_DAYS = new Map([['sekarang', 0], ['besok', 1], ['besuk', 1], ['bsk', 1], ['lusa', 2]]);
const PAST_WORDS = new Set(['kemarin', 'kemaren', 'kmrn', 'kmarin', 'lalu']);
const WEEKDAYS = new Map([
  ['minggu', 0], ['ahad', 0], ['senin', 1], ['selasa', 2], ['rabu', 3], ['kamis', 4], ['jumat', 5], ['sabtu', 6],
]);
const MONTH_NAMES: Array<[number, string[]]> = [
  [1, ['januari', 'jan']], [2, ['februari', 'pebruari', 'feb', 'peb']], [3, ['maret', 'mar']], [4, ['april', 'apr']],
  [5, ['mei', 'may']], [6, ['juni', 'jun']], [7, ['juli', 'jul']], [8, ['agustus', 'agt', 'agu', 'ags', 'agus', 'aug']],
  [9, ['september', 'sep', 'sept']], [10, ['oktober', 'okt', 'oct']], [11, ['november', 'nov', 'nop']],
  [12, ['desember', 'des', 'dec']],
];
const MONTHS = new Map(MONTH_NAMES.flatMap(([month, names]) => names.map((name) => [name, month] as const)));
const DAY_OF_MONTH_WORDS = new Set(['tgl', 'tanggal', 'tg']);
/** Numbers after these words are times of day ("besok jam 10-12"), not dates. */
const TIME_WORDS = new Set(['jam', 'pukul', 'pkl']);
const DAYS_AHEAD = new Map([['ini', 0], ['depan', 7]]);

/** Days with a year as digits: 2026-12-03, or day first with "/", "-" or "." (two- or four-digit year). */
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST_WITH_YEAR = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const DAY_FIRST = /^(\d{1,2})[/-](\d{1,2})$/;

/** How far ahead a date without a year is looked for: 29 February may be up to 8 years away. */
const YEARS_AHEAD = 8;

const TOKEN = /\d+(?:[/.-]\d+)*|\p{L}+/gu;

function dayNumber({ year, month, day }: CalendarDay): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function fromDayNumber(n: number): CalendarDay {
  const date = new Date(n * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function isRealDay(day: CalendarDay): boolean {
  const back = fromDayNumber(dayNumber(day));
  return back.year === day.year && back.month === day.month && back.day === day.day;
}

function iso({ year, month, day }: CalendarDay): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseIso(text: string): CalendarDay {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/** The first real day from today on among candidates in date order, or undefined. */
function firstFromToday(today: number, candidates: CalendarDay[]): number | undefined {
  const day = candidates.find((c) => isRealDay(c) && dayNumber(c) >= today);
  return day && dayNumber(day);
}

/** Day `day` of `month` this year, or the next year it exists, when already past. */
function nextDayOfYear(today: CalendarDay, month: number, day: number): number | undefined {
  const years = Array.from({ length: YEARS_AHEAD + 1 }, (_, i) => today.year + i);
  return firstFromToday(dayNumber(today), years.map((year) => ({ year, month, day })));
}

/** The next day numbered `day` ("tgl 3"), today included, skipping months too short for it. */
function nextDayOfMonth(today: CalendarDay, day: number): number | undefined {
  const months = Array.from({ length: 13 }, (_, i) => fromDayNumber(dayNumber({ ...today, month: today.month + i, day: 1 })));
  return firstFromToday(dayNumber(today), months.map((m) => ({ ...m, day })));
}

function withYear(year: number, month: number, day: number): number | undefined {
  const date = { year: year < 100 ? 2000 + year : year, month, day };
  return isRealDay(date) ? dayNumber(date) : undefined;
}

/** A date written in digits alone; undefined when it is impossible ("31/02"), null when it is no date ("3.30"). */
function digitDate(token: string, today: CalendarDay): number | undefined | null {
  let m = YEAR_FIRST.exec(token);
  if (m) return withYear(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = DAY_FIRST_WITH_YEAR.exec(token))) return withYear(Number(m[4]), Number(m[3]), Number(m[1]));
  if ((m = DAY_FIRST.exec(token))) return nextDayOfYear(today, Number(m[2]), Number(m[1]));
  return null;
}

/** What the words name: days (as day numbers; undefined for an impossible one such as 31 February) and weekdays. */
interface Reading {
  days: Array<number | undefined>;
  weekdays: Array<{ weekday: number; ahead: number }>;
}

/** Reads the words, or gives null when they point back ("kemarin") or are ambiguous ("minggu depan"). */
function read(tokens: string[], today: CalendarDay): Reading | null {
  const reading: Reading = { days: [], weekdays: [] };
  const todayNumber = dayNumber(today);
  for (let i = 0; i < tokens.length; i++) {
    const [previous, token, next] = [tokens[i - 1], tokens[i]!, tokens[i + 1]];
    if (PAST_WORDS.has(token)) return null;
    if (token === 'hari' && next === 'ini') reading.days.push(todayNumber);
    else if (token === 'besok' && next === 'lusa') {
      reading.days.push(todayNumber + 2);
      i++;
    } else if (RELATIVE_DAYS.has(token)) reading.days.push(todayNumber + RELATIVE_DAYS.get(token)!);
    else if (WEEKDAYS.has(token)) {
      // "minggu ini" and "minggu depan" are "this week" and "next week" unless "hari" says it is Sunday.
      if (token === 'minggu' && previous !== 'hari' && next !== undefined && (DAYS_AHEAD.has(next) || PAST_WORDS.has(next))) return null;
      reading.weekdays.push({ weekday: WEEKDAYS.get(token)!, ahead: DAYS_AHEAD.get(next ?? '') ?? 0 });
    } else if (/^\d/.test(token) && !TIME_WORDS.has(previous ?? '')) readDigits(tokens, i, today, reading);
  }
  return reading;
}

/** Reads a number token: "17 agustus [2027]", "tgl 3", or a date in digits. Other numbers are just numbers. */
function readDigits(tokens: string[], i: number, today: CalendarDay, reading: Reading): void {
  const [previous, token, next, after] = [tokens[i - 1], tokens[i]!, tokens[i + 1], tokens[i + 2]];
  const month = MONTHS.get(next ?? '');
  if (/^\d{1,2}$/.test(token) && month !== undefined) {
    const day = Number(token);
    reading.days.push(/^\d{4}$/.test(after ?? '') ? withYear(Number(after), month, day) : nextDayOfYear(today, month, day));
  } else if (/^\d{1,2}$/.test(token) && DAY_OF_MONTH_WORDS.has(previous ?? '')) reading.days.push(nextDayOfMonth(today, Number(token)));
  else {
    const date = digitDate(token, today);
    if (date !== null) reading.days.push(date);
  }
}

/** The weekday (0 = Sunday) of a day number. */
function weekdayOf(n: number): number {
  return new Date(n * 86_400_000).getUTCDay();
}

/** The one day a message names as YYYY-MM-DD, relative to `today` (YYYY-MM-DD), or undefined. */
export function parseDate(text: string, today: string): string | undefined {
  const todayDay = parseIso(today);
  const tokens = fold(text).replace(/['’`]/g, '').match(TOKEN) ?? [];
  const reading = read(tokens, todayDay);
  if (!reading) return undefined;
  const todayNumber = dayNumber(todayDay);
  const days = reading.days.length
    ? reading.days
    : reading.weekdays.map(({ weekday, ahead }) => todayNumber + ((weekday - weekdayOf(todayNumber) + 7) % 7) + ahead);
  const [first] = days;
  if (first === undefined || days.some((d) => d !== first)) return undefined;
  if (reading.weekdays.some(({ weekday }) => weekday !== weekdayOf(first))) return undefined;
  return iso(fromDayNumber(first));
}
