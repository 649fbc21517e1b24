import { stem } from '../../../src/core/match/affixes.js';

const KNOWN = new Set(['harga', 'alamat', 'kirim', 'buka', 'mau', 'tanya', 'makan', 'ikan', 'pesan', 'pesanan', 'bayar', 'toko']);
const isKnown = (word: string): boolean => KNOWN.has(word);

describe('stem', () => {
  it('strips -nya, -lah, -kah, -dong, -kan, -in, -ku, -mu and di- down to a known word', () => {
    expect(stem('harganya', isKnown)).toBe('harga');
    expect(stem('alamatnya', isKnown)).toBe('alamat');
    expect(stem('kirimkan', isKnown)).toBe('kirim');
    expect(stem('kirimin', isKnown)).toBe('kirim');
    expect(stem('bukalah', isKnown)).toBe('buka');
    expect(stem('maukah', isKnown)).toBe('mau');
    expect(stem('maudong', isKnown)).toBe('mau');
    expect(stem('tokoku', isKnown)).toBe('toko');
    expect(stem('alamatmu', isKnown)).toBe('alamat');
    expect(stem('dikirim', isKnown)).toBe('kirim');
    expect(stem('kirimkannya', isKnown)).toBe('kirim');
    expect(stem('pesanannya', isKnown)).toBe('pesanan');
  });

  it('never strips a word that is itself known', () => {
    expect(stem('tanya', isKnown)).toBeUndefined();
    expect(stem('makan', isKnown)).toBeUndefined();
    expect(stem('ikan', isKnown)).toBeUndefined();
    expect(stem('pesanan', isKnown)).toBeUndefined();
  });

  it('strips only down to a known word', () => {
    expect(stem('sepatunya', isKnown)).toBeUndefined();
    expect(stem('dibayar', isKnown)).toBe('bayar');
    expect(stem('diskon', isKnown)).toBeUndefined();
  });
});
