import { describe, expect, it } from '@jest/globals';
import { parseNumber } from '../../../src/core/text/number-words.js';

const cases = (table: Array<[string, number]>): void => {
  for (const [text, value] of table) expect([text, parseNumber(text)]).toEqual([text, value]);
};

describe('numbers as customers write them', () => {
  it('keeps reading digits the Indonesian way', () => {
    cases([['1.500.000', 1_500_000], ['1500000', 1_500_000], ['1 500 000', 1_500_000], ['2,5', 2.5], ['-3', -3], ['0', 0]]);
  });

  it('reads number words, also written together or with se-', () => {
    cases([
      ['lima', 5], ['dua belas', 12], ['sebelas', 11], ['tiga belas', 13], ['sepuluh', 10], ['dua puluh lima', 25],
      ['duapuluh', 20], ['duapuluhlima', 25], ['seratus', 100], ['seratus dua belas', 112], ['seribu dua ratus', 1200],
      ['dua ratus lima puluh ribu', 250_000], ['lima puluh ribu', 50_000], ['sepuluh ribu', 10_000], ['sejuta', 1_000_000],
      ['nol', 0],
    ]);
  });

  it('reads dozens, kodi and halves', () => {
    cases([
      ['1 lusin', 12], ['2 lusin', 24], ['selusin', 12], ['setengah lusin', 6], ['sekodi', 20],
      ['setengah', 0.5], ['satu setengah', 1.5], ['dua setengah juta', 2_500_000],
    ]);
  });

  it('reads money shorthand', () => {
    cases([['10rb', 10_000], ['10 rb', 10_000], ['10k', 10_000], ['15rb', 15_000], ['1,5jt', 1_500_000], ['1,1 rb', 1100], ['Rp 50.000', 50_000], ['1 juta 200 ribu', 1_200_000]]);
  });

  it('ignores the words around the one number', () => {
    cases([['empat kotak aja', 4], ['3 aja kak', 3], ['mau 2', 2], ['2 pcs', 2], ['2pcs ya kak', 2], ['x3', 3], ['pesan seratus porsi', 100]]);
  });

  it('gives nothing for no number, two numbers or a malformed one', () => {
    for (const text of ['', 'mau cek pesanan saja', 'banyak', '2 atau 3', '2-3', 'dua tiga', 'antara 5 sampai 10', 'ribu', 'ribu juta', 'seribu lusin', '1.2.3', 'dua puluh belas', 'seratusan', 'constructor', 'toString']) {
      expect([text, parseNumber(text)]).toEqual([text, undefined]);
    }
  });

  it('gives nothing, rather than failing, for a very long run of number words written together', () => {
    expect(parseNumber('lima'.repeat(20_000))).toBeUndefined();
  });
});
