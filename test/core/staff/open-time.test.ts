import { describe, expect, it } from '@jest/globals';
import { buildWeeklyHours, parseRanges } from '../../../src/core/flow/hours.js';
import type { WeeklyHours } from '../../../src/core/flow/types.js';
import { addOpenTime } from '../../../src/core/staff/open-time.js';

const JAKARTA = 'Asia/Jakarta';
const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);

/** Days (0 = Sunday) to their written hours; the rest closed. */
function hours(perDay: Record<number, string>, closedDates: string[] = []): WeeklyHours {
  return buildWeeklyHours(new Map(Object.entries(perDay).map(([day, ranges]) => [Number(day), parseRanges(ranges)!])), closedDates);
}

/** Mon–Fri 08:00–17:00, Saturday 08:00–12:00, closed on Sunday and on Christmas Day (a Friday in 2026). */
const shop = hours({ 1: '08:00-17:00', 2: '08:00-17:00', 3: '08:00-17:00', 4: '08:00-17:00', 5: '08:00-17:00', 6: '08:00-12:00' }, ['2026-12-25']);

describe('opening time', () => {
  it('inside opening hours, it is plain time', () => {
    expect(addOpenTime(shop, JAKARTA, at('2026-11-23T10:00:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-23T10:05:00+07:00'));
  });

  it('an escalation at 16:58 on a shop closing at 17:00 is reminded 3 minutes after the next opening', () => {
    expect(addOpenTime(shop, JAKARTA, at('2026-11-23T16:58:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-24T08:03:00+07:00'));
  });

  it('Saturday has short hours and Sunday is closed: a Saturday 11:58 escalation waits until Monday', () => {
    expect(addOpenTime(shop, JAKARTA, at('2026-11-27T16:58:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-28T08:03:00+07:00'));
    expect(addOpenTime(shop, JAKARTA, at('2026-11-28T11:58:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-30T08:03:00+07:00'));
  });

  it('time starting on a closed day counts from the next opening', () => {
    expect(addOpenTime(shop, JAKARTA, at('2026-11-29T10:00:00+07:00'), 30 * MINUTE)).toBe(at('2026-11-30T08:30:00+07:00'));
    expect(addOpenTime(shop, JAKARTA, at('2026-11-23T06:00:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-23T08:05:00+07:00'));
  });

  it('a holiday does not count', () => {
    expect(addOpenTime(shop, JAKARTA, at('2026-12-24T16:58:00+07:00'), 5 * MINUTE)).toBe(at('2026-12-26T08:03:00+07:00'));
  });

  it('a lunch break does not count, and a long wait spans several days', () => {
    const withLunch = hours({ 1: '08:00-12:00, 13:00-17:00', 2: '08:00-12:00, 13:00-17:00' });
    expect(addOpenTime(withLunch, JAKARTA, at('2026-11-23T11:58:00+07:00'), 5 * MINUTE)).toBe(at('2026-11-23T13:03:00+07:00'));
    // Monday 08:00 + 12 h of opening: Monday's 8 h, then Tuesday morning's 4 h.
    expect(addOpenTime(withLunch, JAKARTA, at('2026-11-23T08:00:00+07:00'), 12 * 60 * MINUTE)).toBe(at('2026-11-24T12:00:00+07:00'));
  });

  it('with no hours written the shop is always open; with every day closed it never opens', () => {
    const from = at('2026-11-29T23:59:00+07:00');
    expect(addOpenTime(null, JAKARTA, from, 5 * MINUTE)).toBe(from + 5 * MINUTE);
    expect(addOpenTime(hours({ 0: '00:00-24:00', 1: '00:00-24:00' }), JAKARTA, from, 5 * MINUTE)).toBe(from + 5 * MINUTE); // across midnight
    expect(addOpenTime(hours({}), JAKARTA, from, 5 * MINUTE)).toBe(Infinity);
  });

  it('on the day clocks go forward, the shop still opens at the written hour', () => {
    // Berlin moves to summer time on Sunday 29 March 2026: 08:00 that day is 06:00 UTC, not 07:00.
    const daily = hours({ 0: '08:00-17:00', 6: '08:00-17:00' });
    expect(addOpenTime(daily, 'Europe/Berlin', at('2026-03-28T16:58:00+01:00'), 5 * MINUTE)).toBe(at('2026-03-29T08:03:00+02:00'));
  });
});
