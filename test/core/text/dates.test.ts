import { describe, expect, it } from '@jest/globals';
import { parseDate } from '../../../src/core/text/dates.js';

/** Monday 23 November 2026. */
const MONDAY = '2026-11-23';

const cases = (today: string, table: Array<[string, string | undefined]>): void => {
  for (const [text, date] of table) expect([text, parseDate(text, today)]).toEqual([text, date]);
};

describe('dates as customers write them', () => {
  it('reads today, tomorrow and the day after', () => {
    cases(MONDAY, [['hari ini', '2026-11-23'], ['sekarang', '2026-11-23'], ['besok', '2026-11-24'], ['bsk aja kak', '2026-11-24'], ['lusa', '2026-11-25'], ['besok lusa', '2026-11-25']]);
    cases('2026-12-31', [['besok', '2027-01-01']]);
    cases('2028-02-28', [['besok', '2028-02-29']]);
  });

  it('reads weekdays as the coming one, today included; "depan" is a week later', () => {
    cases(MONDAY, [
      ['sabtu', '2026-11-28'], ['hari sabtu', '2026-11-28'], ['sabtu ini', '2026-11-28'], ['sabtu depan', '2026-12-05'],
      ['senin', '2026-11-23'], ['senin depan', '2026-11-30'], ["jum'at", '2026-11-27'], ['minggu', '2026-11-29'],
      ['hari minggu depan', '2026-12-06'], ['ahad', '2026-11-29'],
    ]);
  });

  it('reads day and month names, with or without a year, never in the past without one', () => {
    cases(MONDAY, [
      ['17 Agustus', '2027-08-17'], ['17 agustus 2027', '2027-08-17'], ['17 agt', '2027-08-17'], ['tanggal 17 agustus', '2027-08-17'],
      ['25 desember', '2026-12-25'], ['23 nov', '2026-11-23'], ['22 nov', '2027-11-22'], ['17 agustus 2020', '2020-08-17'],
      ['29 feb', '2028-02-29'],
    ]);
  });

  it('reads "tgl 3" as the next 3rd of a month, skipping months too short', () => {
    cases(MONDAY, [['tgl 3', '2026-12-03'], ['tanggal 23', '2026-11-23'], ['tgl. 31', '2026-12-31'], ['tgl 22', '2026-12-22']]);
    cases('2027-01-31', [['tgl 30', '2027-03-30']]);
  });

  it('reads digits, day first, and ISO dates', () => {
    cases(MONDAY, [
      ['3/12', '2026-12-03'], ['3-12', '2026-12-03'], ['1/1', '2027-01-01'], ['3-12-2026', '2026-12-03'], ['3/12/26', '2026-12-03'],
      ['17.08.2026', '2026-08-17'], ['25/12/2026', '2026-12-25'], ['2026-12-03', '2026-12-03'],
    ]);
  });

  it('accepts a weekday with a date only when they agree', () => {
    cases(MONDAY, [['sabtu 28 november', '2026-11-28'], ['sabtu 29 november', undefined]]);
    cases('2026-11-27', [['besok hari sabtu', '2026-11-28']]);
  });

  it('ignores times of day', () => {
    cases(MONDAY, [['besok jam 10-12', '2026-11-24'], ['besok 3.30', '2026-11-24']]);
  });

  it('gives nothing for the past, impossible days, ambiguity or no date', () => {
    cases(MONDAY, [
      ['kemarin', undefined], ['sabtu lalu', undefined], ['31 februari', undefined], ['31-02-2026', undefined], ['tgl 32', undefined],
      ['tgl 0', undefined], ['32/1', undefined], ['minggu depan', undefined], ['minggu ini', undefined], ['besok atau lusa', undefined],
      ['sabtu atau minggu', undefined], ['bulan depan', undefined], ['kapan aja', undefined], ['3', undefined], ['', undefined],
    ]);
  });
});
