/**
 * Business hours in the shop's time zone: parsing what owners write and answering "open now?", "today's hours"
 * and "when do we open next?". Pure: the time is always passed in.
 */
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import type { WeeklyHours } from './types.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** English and Indonesian day abbreviations, to the weekday number dayjs uses (0 = Sunday). */
const DAY_NUMBERS: Record<string, number> = {
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
  min: 0, sen: 1, sel: 2, rab: 3, kam: 4, jum: 5, sab: 6,
};
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/** Customer-facing words for hours in templates; shipped flows speak Bahasa Indonesia. */
const DAY_NAMES = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const WORDS = { today: 'hari ini', tomorrow: 'besok', closed: 'tutup', now: 'sekarang' };

/** "08:00-17:00", also as Indonesians often write it: "8.00-17.00". */
const TIME_RANGE = /^([01]?\d|2[0-3])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-4])[:.]([0-5]\d)$/;

export const HOURS_KEY_HINT = 'a day or days such as mon, sat, mon-fri, mon,wed,fri or daily';
export const HOURS_VALUE_HINT = 'opening hours such as "08:00-17:00", "08:00-12:00, 13:00-17:00" or "closed"';

/** The weekdays a key such as "mon-fri" or "sat,sun" names, or undefined when it is not a day key. */
export function parseDays(key: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of key.toLowerCase().split(',').map((p) => p.trim())) {
    if (part === 'daily') ALL_DAYS.forEach((d) => days.add(d));
    else if (part in DAY_NUMBERS) days.add(DAY_NUMBERS[part]!);
    else {
      const [from, to] = part.split('-').map((p) => p.trim());
      if (from === undefined || to === undefined || !(from in DAY_NUMBERS) || !(to in DAY_NUMBERS)) return undefined;
      for (let d = DAY_NUMBERS[from]!; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === DAY_NUMBERS[to]) break;
      }
    }
  }
  return [...days];
}

/** The [open, close) minute ranges of a value such as "08:00-12:00, 13:00-17:00", or undefined if invalid. */
export function parseRanges(value: string): Array<[number, number]> | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'closed' || text === 'tutup') return [];
  const ranges: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const m = TIME_RANGE.exec(part.trim());
    if (!m) return undefined;
    const open = Number(m[1]) * 60 + Number(m[2]);
    const close = Number(m[3]) * 60 + Number(m[4]);
    if (close <= open || close > 24 * 60) return undefined;
    ranges.push([open, close]);
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

export function buildWeeklyHours(perDay: Map<number, Array<[number, number]>>, closedDates: string[]): WeeklyHours {
  return { days: ALL_DAYS.map((d) => perDay.get(d) ?? []), closedDates: new Set(closedDates) };
}

function rangesOn(hours: WeeklyHours, local: Dayjs): Array<[number, number]> {
  return hours.closedDates.has(local.format('YYYY-MM-DD')) ? [] : hours.days[local.day()]!;
}

function minuteOfDay(local: Dayjs): number {
  return local.hour() * 60 + local.minute();
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** One formatter per zone: building an Intl.DateTimeFormat is what makes dayjs' `.tz()` slow (~0.2 ms a call). */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormats.set(zone, format);
  }
  return format;
}

/** The last offset worked out: one message asks for the same zone and minute several times. */
const lastOffset = { zone: '', minute: NaN, offset: 0 };

/** The zone's offset from UTC at `now`, in minutes (e.g. 420 for Asia/Jakarta). Offsets change on whole minutes. */
function utcOffsetMinutes(now: number, zone: string): number {
  const minute = Math.floor(now / 60_000);
  if (lastOffset.zone !== zone || lastOffset.minute !== minute) {
    Object.assign(lastOffset, { zone, minute, offset: computeOffset(now, zone) });
  }
  return lastOffset.offset;
}

function computeOffset(now: number, zone: string): number {
  const part: Record<string, number> = {};
  for (const { type, value } of zoneFormat(zone).formatToParts(now)) part[type] = Number(value);
  const wallClockAsUtc = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return Math.round((wallClockAsUtc - Math.floor(now / 1000) * 1000) / 60_000);
}

/** `now` as the shop's wall clock: the same answers as dayjs(now).tz(zone), without its per-call cost. */
export function localTime(now: number, zone: string): Dayjs {
  return dayjs(now).utcOffset(utcOffsetMinutes(now, zone));
}

export function isOpen(hours: WeeklyHours | null, zone: string, now: number): boolean {
  if (!hours) return true;
  const local = localTime(now, zone);
  const minute = minuteOfDay(local);
  return rangesOn(hours, local).some(([open, close]) => minute >= open && minute < close);
}

/** Days ahead `nextOpening` looks: past a year of closed dates, nothing opens. */
const OPENING_SEARCH_DAYS = 370;

/** The next moment the shop opens after `now` (within a year), or null when it never does. */
export function nextOpening(hours: WeeklyHours, zone: string, now: number): Dayjs | null {
  const start = localTime(now, zone);
  if (!hours.days.some((ranges) => ranges.length)) return null;
  for (let offset = 0; offset < OPENING_SEARCH_DAYS; offset++) {
    const day = start.add(offset, 'day');
    for (const [open] of rangesOn(hours, day)) {
      // Built from the local date and time, so that a daylight-saving day still opens at the written hour.
      if (offset > 0 || open > minuteOfDay(start)) return dayjs.tz(`${day.format('YYYY-MM-DD')} ${clock(open)}`, zone);
    }
  }
  return null;
}

/** The values templates read as {{hours.open_now}}, {{hours.today}} and {{hours.next_open}}. */
export function hoursView(hours: WeeklyHours | null, zone: string, now: number): Record<string, string | boolean> {
  if (!hours) return { open_now: true, today: '', next_open: WORDS.now };
  const local = localTime(now, zone);
  const today = rangesOn(hours, local);
  const open = isOpen(hours, zone, now);
  const next = open ? null : nextOpening(hours, zone, now);
  return {
    open_now: open,
    today: today.length ? today.map(([o, c]) => `${clock(o)}-${clock(c)}`).join(', ') : WORDS.closed,
    next_open: open ? WORDS.now : next ? describeDay(local, next) + ' ' + clock(minuteOfDay(next)) : '',
  };
}

function describeDay(today: Dayjs, day: Dayjs): string {
  const days = day.startOf('day').diff(today.startOf('day'), 'day');
  if (days === 0) return WORDS.today;
  if (days === 1) return WORDS.tomorrow;
  return DAY_NAMES[day.day()]!;
}
