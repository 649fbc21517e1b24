import { describe, expect, it } from '@jest/globals';
import { parseDuration, writeDuration } from '../../src/core/duration.js';

describe('durations as owners write them', () => {
  it('writes a duration in the settings style, and reads it back as the same time', () => {
    const cases: Array<[number, string]> = [
      [12 * 3_600_000, '12h'],
      [90 * 60_000, '1h30m'],
      [5 * 60_000, '5m'],
      [8 * 86_400_000, '8d'],
      [86_400_000 + 1_000, '1d1s'],
      [0, '0s'],
    ];
    for (const [ms, text] of cases) expect([ms, writeDuration(ms)]).toEqual([ms, text]);
    for (const [ms, text] of cases.filter(([ms]) => ms > 0)) expect(parseDuration(text)).toBe(ms);
  });

  it('reads combined units and spaces, and refuses what is not a duration', () => {
    expect(parseDuration('1w 2d')).toBe(9 * 86_400_000);
    expect(parseDuration('30 menit')).toBeUndefined();
    expect(parseDuration('0m')).toBeUndefined();
  });
});
