import { foldElongation } from '../../../src/core/match/elongation.js';

const KNOWN = new Set(['makasih', 'oke', 'kak', 'maaf', 'saat', 'tanggal', 'halo']);
const isKnown = (word: string): boolean => KNOWN.has(word);

describe('foldElongation', () => {
  it('folds letters held down to the known word', () => {
    expect(foldElongation('makasiiih', isKnown)).toBe('makasih');
    expect(foldElongation('okeee', isKnown)).toBe('oke');
    expect(foldElongation('kakk', isKnown)).toBe('kak');
    expect(foldElongation('halooooo', isKnown)).toBe('halo');
  });

  it('keeps real double letters: the longest known form wins', () => {
    expect(foldElongation('maaaaf', isKnown)).toBe('maaf');
    expect(foldElongation('saaat', isKnown)).toBe('saat');
    expect(foldElongation('tanggalll', isKnown)).toBe('tanggal');
  });

  it('leaves a word with nothing stretched alone', () => {
    expect(foldElongation('harga', isKnown)).toBeUndefined();
    expect(foldElongation('saat', isKnown)).toBeUndefined();
  });

  it('cuts an unknown stretched word to double letters, for typo matching', () => {
    expect(foldElongation('ongkirrrr', isKnown)).toBe('ongkirr');
  });
});
