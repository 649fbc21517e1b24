import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/seeded-random.js';

describe('seeded randomness', () => {
  it('repeats the same sequence for the same seed, another for another seed, always in [0, 1)', () => {
    const take = (seed: number): number[] => Array.from({ length: 1_000 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(8)).not.toEqual(take(7));
    expect(take(7).every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(take(7)).size).toBe(1_000);
  });
});
