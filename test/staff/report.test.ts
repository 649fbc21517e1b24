import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/errors.js';
import { loadFlows } from '../../src/flows/load.js';
import { buildReport, formatDuration, percentile, ratingFlows, readRating, reportPeriod, weeklyReport, weeksOf } from '../../src/staff/report.js';
import type { EscalationTimes, Period, PeriodFigures } from '../../src/store/report.js';

const MINUTE = 60_000;
const JAKARTA = 'Asia/Jakarta';
const jakarta = (local: string): number => Date.parse(`${local}+07:00`);
const PERIOD: Period = { from: jakarta('2026-11-02T00:00:00'), to: jakarta('2026-11-09T00:00:00') };
const NOTHING: PeriodFigures = { conversations: 0, escalations: [], checkins: { sent: 0, answered: 0 }, ratingAnswers: [] };

/** An escalation opened at `at`, answered and released the given minutes later (null: not yet). */
function escalation(at: number, answeredAfter: number | null, releasedAfter: number | null = null, autoReleased = false): EscalationTimes {
  const later = (minutes: number | null): number | null => (minutes === null ? null : at + minutes * MINUTE);
  return { createdAt: at, firstResponseAt: later(answeredAfter), releasedAt: later(releasedAfter), autoReleased };
}

describe('percentile', () => {
  it('takes the nearest rank: a time that happened, with at least that share at or below it', () => {
    const tens = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(tens, 0.5)).toBe(5);
    expect(percentile(tens, 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('buildReport', () => {
  it('counts what became of the escalations and how fast staff answered them', () => {
    const at = PERIOD.from + 3_600_000;
    const escalations = [
      escalation(at, 2, 30), // released by staff after 30m
      escalation(at, 5, 600, true), // handed back to the bot
      escalation(at, 1),
      escalation(at, 20),
      escalation(at, null),
    ];
    const report = buildReport(PERIOD, { ...NOTHING, conversations: 12, escalations });
    expect(report).toMatchObject({ from: PERIOD.from, to: PERIOD.to, conversations: 12 });
    expect(report.escalations).toEqual({ opened: 5, released: 1, autoReleased: 1, stillOpen: 3 });
    expect(report.firstResponse).toEqual({ count: 4, medianMs: 2 * MINUTE, p90Ms: 20 * MINUTE });
    expect(report.resolution).toEqual({ count: 1, medianMs: 30 * MINUTE });
  });

  it('reports an empty period as zeros and nulls, never as NaN', () => {
    expect(buildReport(PERIOD, NOTHING)).toEqual({
      from: PERIOD.from,
      to: PERIOD.to,
      conversations: 0,
      escalations: { opened: 0, released: 0, autoReleased: 0, stillOpen: 0 },
      firstResponse: { count: 0, medianMs: null, p90Ms: null },
      resolution: { count: 0, medianMs: null },
      checkins: { sent: 0, answered: 0, answerRate: null },
      satisfaction: { count: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
    });
  });

  it('reads ratings as the shipped flow does, and leaves other answers out of the average', () => {
    const ratingAnswers = ['5', 'nilai 4', '5 mantap!', 'Bintang 1, barang rusak', 'terima kasih', '10', 'barangnya belum sampai 2 minggu'];
    const report = buildReport(PERIOD, { ...NOTHING, checkins: { sent: 10, answered: 7 }, ratingAnswers });
    expect(report.checkins).toEqual({ sent: 10, answered: 7, answerRate: 0.7 });
    expect(report.satisfaction).toEqual({ count: 4, average: 15 / 4, distribution: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 2 } });
  });
});

describe('ratings', () => {
  it.each([
    ['4', 4],
    ['  nilai 5 ', 5],
    ['⭐⭐⭐ 3', 3],
    ['saya kasih 2 ya', 2],
    ['10', undefined],
    ['5/5 mantap', 5],
    ['puas sekali kakak, 4', undefined],
  ])('reads %j as %p', (answer, rating) => {
    expect(readRating(answer)).toBe(rating);
  });

  it('counts only the check-in flows whose first question saves a rating', () => {
    expect(ratingFlows(loadFlows('flows').flows)).toEqual(['checkin_satisfaction']);
  });
});

describe('weeks', () => {
  it('start on Monday at midnight in the shop’s time zone, not in UTC', () => {
    // Sun 1 Nov to Tue 10 Nov in Jakarta; Monday 00:00 there is Sunday 17:00 UTC.
    const period = { from: jakarta('2026-11-01T00:00:00'), to: jakarta('2026-11-11T00:00:00') };
    expect(weeksOf(period, JAKARTA)).toEqual([
      { weekStart: '2026-10-26', from: period.from, to: jakarta('2026-11-02T00:00:00') },
      { weekStart: '2026-11-02', from: jakarta('2026-11-02T00:00:00'), to: jakarta('2026-11-09T00:00:00') },
      { weekStart: '2026-11-09', from: jakarta('2026-11-09T00:00:00'), to: period.to },
    ]);
  });

  it('put an escalation at 00:30 on Monday in the new week, though it is still Sunday in UTC', () => {
    const sundayNight = escalation(jakarta('2026-11-01T23:30:00'), 4);
    const mondayEarly = escalation(jakarta('2026-11-02T00:30:00'), 10);
    const read = (week: Period): PeriodFigures => ({
      ...NOTHING,
      escalations: [sundayNight, mondayEarly].filter((e) => e.createdAt >= week.from && e.createdAt < week.to),
    });
    const weeks = weeklyReport({ from: jakarta('2026-10-26T00:00:00'), to: jakarta('2026-11-09T00:00:00') }, JAKARTA, read);
    expect(weeks.map((w) => [w.weekStart, w.escalations, w.firstResponseMedianMs])).toEqual([
      ['2026-10-26', 1, 4 * MINUTE],
      ['2026-11-02', 1, 10 * MINUTE],
    ]);
    expect(weeks[1]).toEqual({
      weekStart: '2026-11-02',
      from: jakarta('2026-11-02T00:00:00'),
      to: jakarta('2026-11-09T00:00:00'),
      conversations: 0,
      escalations: 1,
      firstResponseMedianMs: 10 * MINUTE,
      checkinsSent: 0,
      checkinsAnswered: 0,
      satisfactionAverage: null,
    });
  });

  it('keep local midnight across a daylight-saving change: that week is 169 hours long', () => {
    // Berlin leaves summer time on Sunday 25 Oct 2026.
    const period = { from: Date.parse('2026-10-19T00:00:00+02:00'), to: Date.parse('2026-11-02T00:00:00+01:00') };
    const [week, next] = weeksOf(period, 'Europe/Berlin');
    expect(week).toEqual({ weekStart: '2026-10-19', from: period.from, to: Date.parse('2026-10-26T00:00:00+01:00') });
    expect(week!.to - week!.from).toBe(169 * 3_600_000);
    expect(next).toMatchObject({ weekStart: '2026-10-26', to: period.to });
  });
});

describe('reportPeriod', () => {
  const now = jakarta('2026-11-20T12:00:00');

  it('runs from the first date’s midnight to the end of the last date, in the shop’s time zone', () => {
    expect(reportPeriod({ from: '2026-11-02', to: '2026-11-08' }, JAKARTA, now)).toEqual(PERIOD);
  });

  it('covers the last 30 days until now by default, and 30 days up to --to when only that is given', () => {
    expect(reportPeriod({}, JAKARTA, now)).toEqual({ from: jakarta('2026-10-22T00:00:00'), to: now });
    expect(reportPeriod({ to: '2026-10-31' }, JAKARTA, now)).toEqual({ from: jakarta('2026-10-02T00:00:00'), to: jakarta('2026-11-01T00:00:00') });
    expect(reportPeriod({ from: '2026-11-15' }, JAKARTA, now)).toEqual({ from: jakarta('2026-11-15T00:00:00'), to: now });
  });

  it.each([
    [{ from: '2026-02-30' }, '--from: expected a date as YYYY-MM-DD (got "2026-02-30")'],
    [{ to: 'yesterday' }, '--to: expected a date as YYYY-MM-DD (got "yesterday")'],
    [{ from: '2026-11-09', to: '2026-11-08' }, '--to: expected a date on or after --from (2026-11-09) (got "2026-11-08")'],
  ])('refuses %j', (dates, message) => {
    expect(() => reportPeriod(dates, JAKARTA, now)).toThrow(ConfigError);
    expect(() => reportPeriod(dates, JAKARTA, now)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [250_000, '4m 10s'],
    [3_900_000, '1h 5m'],
    [3_600_000, '1h'],
    [3_629_000, '1h'],
    [(2 * 24 + 3) * 3_600_000 + 59_000, '2d 3h'],
  ])('shows %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
