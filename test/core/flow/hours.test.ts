import { describe, expect, it } from '@jest/globals';
import dayjs from 'dayjs';
import { buildWeeklyHours, hoursView, isOpen, localTime, parseDays, parseRanges } from '../../../src/core/flow/hours.js';

const JAKARTA = 'Asia/Jakarta';
const at = (iso: string): number => Date.parse(iso);
const weekly = buildWeeklyHours(
  new Map([
    ...[1, 2, 3, 4, 5].map((d) => [d, parseRanges('08:00-12:00, 13:00-17:00')!] as [number, Array<[number, number]>]),
    [6, parseRanges('08:00-12:00')!],
  ]),
  ['2026-12-25'],
);

describe('business hours', () => {
  it('parses day keys in English and Indonesian, ranges and lists', () => {
    expect(parseDays('mon-fri')?.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('sab,min')?.sort()).toEqual([0, 6]);
    expect(parseDays('fri-mon')?.sort()).toEqual([0, 1, 5, 6]);
    expect(parseDays('daily')).toHaveLength(7);
    expect(parseDays('mon-fry')).toBeUndefined();
    expect(parseRanges('tutup')).toEqual([]);
    expect(parseRanges('17:00-08:00')).toBeUndefined();
    expect(parseRanges('8-12')).toBeUndefined();
    expect(parseRanges('8.00-12.00, 13:00-17:00')).toEqual([[480, 720], [780, 1020]]);
  });

  it('is open inside a range and closed over lunch, in the shop time zone', () => {
    expect(isOpen(weekly, JAKARTA, at('2026-11-23T08:00:00+07:00'))).toBe(true);
    expect(isOpen(weekly, JAKARTA, at('2026-11-23T12:30:00+07:00'))).toBe(false);
    expect(isOpen(weekly, JAKARTA, at('2026-11-23T01:30:00Z'))).toBe(true); // 08:30 in Jakarta
    expect(isOpen(weekly, JAKARTA, at('2026-11-23T17:00:00+07:00'))).toBe(false);
  });

  it('says when the shop opens next: later today, tomorrow, or on a named day; skipping closed dates', () => {
    expect(hoursView(weekly, JAKARTA, at('2026-11-23T12:30:00+07:00'))).toEqual({ open_now: false, today: '08:00-12:00, 13:00-17:00', next_open: 'hari ini 13:00' });
    expect(hoursView(weekly, JAKARTA, at('2026-11-23T18:00:00+07:00')).next_open).toBe('besok 08:00');
    expect(hoursView(weekly, JAKARTA, at('2026-11-28T13:00:00+07:00')).next_open).toBe('Senin 08:00');
    expect(hoursView(weekly, JAKARTA, at('2026-11-29T10:00:00+07:00')).today).toBe('tutup');
    expect(hoursView(weekly, JAKARTA, at('2026-12-24T18:00:00+07:00')).next_open).toBe('Sabtu 08:00');
    expect(hoursView(null, JAKARTA, at('2026-12-24T18:00:00+07:00')).open_now).toBe(true);
  });
});

describe('the shop\'s local time', () => {
  // localTime reads the offset from a cached Intl formatter instead of dayjs' slow .tz(); it must agree with it.
  it.each(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'])(
    'gives the same wall clock as dayjs .tz() every 181 minutes of 2026 in %s',
    (zone) => {
      const mismatches: string[] = [];
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 181 * 60_000 + 7_001) {
        const expected = dayjs(at).tz(zone).format('YYYY-MM-DD HH:mm:ss d Z');
        const actual = localTime(at, zone).format('YYYY-MM-DD HH:mm:ss d Z');
        if (actual !== expected) mismatches.push(`${new Date(at).toISOString()}: ${actual} ≠ ${expected}`);
      }
      expect(mismatches.slice(0, 3)).toEqual([]);
    },
  );
});
