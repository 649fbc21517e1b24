import { allowedEdits, indexTypos, typoCandidates, withinEdits } from '../../../src/core/match/typo.js';

function indexOf(...words: string[]): Map<string, string[]> {
  const deletions = new Map<string, string[]>();
  words.forEach((word) => indexTypos(deletions, word));
  return deletions;
}

describe('typos', () => {
  const deletions = indexOf('katalog', 'alamat', 'pesanan', 'ongkir', 'pengiriman', 'kopi', 'cap', 'batik');

  it('finds one edit on words of 4+ letters: added, missing, changed, swapped', () => {
    expect(typoCandidates(deletions, 'katallog')).toEqual(['katalog']);
    expect(typoCandidates(deletions, 'almat')).toEqual(['alamat']);
    expect(typoCandidates(deletions, 'pesnan')).toEqual(['pesanan']);
    expect(typoCandidates(deletions, 'ongkirr')).toEqual(['ongkir']);
    expect(typoCandidates(deletions, 'katalig')).toEqual(['katalog']);
    expect(typoCandidates(deletions, 'katlaog')).toEqual(['katalog']);
    expect(typoCandidates(deletions, 'btaik')).toEqual(['batik']);
  });

  it('allows two edits only on words of 8+ letters', () => {
    expect(typoCandidates(deletions, 'pngirimn')).toEqual(['pengiriman']);
    expect(typoCandidates(deletions, 'pengirimna')).toEqual(['pengiriman']);
    expect(typoCandidates(deletions, 'ktalg')).toEqual([]);
    expect(typoCandidates(deletions, 'almt')).toEqual([]);
  });

  it('never reads short words as typos', () => {
    expect(typoCandidates(deletions, 'cab')).toEqual([]);
    expect(typoCandidates(deletions, 'kop')).toEqual([]);
    expect(allowedEdits('cap')).toBe(0);
    expect(allowedEdits('1234')).toBe(0);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(withinEdits('almaat', 'alamat', 1)).toBe(true);
    expect(withinEdits('katlaog', 'katalog', 1)).toBe(true);
    expect(withinEdits('ktaalog', 'katalog', 1)).toBe(true);
    expect(withinEdits('kltaaog', 'katalog', 1)).toBe(false);
  });
});
