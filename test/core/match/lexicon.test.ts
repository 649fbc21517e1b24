import { readFileSync } from 'node:fs';
import { parseLexicon, parseWordList, withSynonyms } from '../../../src/core/match/lexicon.js';
import { SLANG_FILE, WORDS_FILE } from '../../../src/flows/matching.js';

describe('the shipped lexicon (lexicon/id-slang.tsv)', () => {
  const { lexicon, problems } = parseLexicon(readFileSync(SLANG_FILE, 'utf8'));

  it('parses without problems and holds the common chat forms', () => {
    expect(problems).toEqual([]);
    expect(lexicon.size).toBeGreaterThanOrEqual(300);
    const standard = (informal: string): string | undefined => lexicon.get(informal)?.join(' ');
    expect(['yg', 'dgn', 'sm', 'tdk', 'gak', 'nggak', 'ga', 'udh', 'sdh', 'blm', 'bs', 'mo', 'kpn', 'gmn', 'knp', 'dmn', 'mksh', 'trims', 'brp', 'hrg'].map(standard)).toEqual([
      'yang', 'dengan', 'sama', 'tidak', 'tidak', 'tidak', 'tidak', 'sudah', 'sudah', 'belum', 'bisa', 'mau', 'kapan', 'bagaimana', 'kenapa', 'di mana', 'terima kasih', 'terima kasih', 'berapa', 'harga',
    ]);
    expect(['sen', 'sab', 'mgg', 'agt', 'okt', 'des', 'tgl', 'skrg', 'bsk'].map(standard)).toEqual(['senin', 'sabtu', 'minggu', 'agustus', 'oktober', 'desember', 'tanggal', 'sekarang', 'besok']);
  });

  it('lists no word with a -nya in the common words, which would keep it from being stripped', () => {
    const words = parseWordList(readFileSync(WORDS_FILE, 'utf8'));
    expect(words.length).toBeGreaterThan(500);
    const rootsEndingInNya = new Set(['hanya', 'punya', 'tanya', 'berikutnya', 'sebelumnya']);
    expect(words.filter((word) => word.endsWith('nya') && !rootsEndingInNya.has(word))).toEqual([]);
  });
});

describe('parseLexicon', () => {
  it('reports a bad line with its number and keeps the others', () => {
    const { lexicon, problems } = parseLexicon('# comment\nyg\tyang\nbad line\nmau pesan\tpesan\nyg\tyg lagi\ncod\tbayar di tempat\n');
    expect([...lexicon]).toEqual([['yg', ['yang']], ['cod', ['bayar', 'di', 'tempat']]]);
    expect(problems).toEqual([
      { line: 3, problem: '"bad line" should be one word (the form customers write)' },
      { line: 4, problem: '"mau pesan" should be one word (the form customers write)' },
      { line: 5, problem: '"yg" is listed twice' },
    ]);
  });
});

describe('withSynonyms', () => {
  it("puts the shop's words over the shipped ones, read through the shipped lexicon", () => {
    const shipped = new Map([['ditempat', ['di', 'tempat']], ['gan', ['juragan']]]);
    const merged = withSynonyms(shipped, { COD: 'bayar ditempat', gan: 'kakak' });
    expect(merged.get('cod')).toEqual(['bayar', 'di', 'tempat']);
    expect(merged.get('gan')).toEqual(['kakak']);
    expect(shipped.get('gan')).toEqual(['juragan']);
  });
});
