import { addPhrase, bestMatch, bestWholeMatch, createPhraseIndex, matchAll } from '../../../src/core/match/phrase-index.js';
import { readMessage } from '../../../src/core/match/read-message.js';
import { shopVocabulary } from '../../../src/flows/matching.js';

/** A shop's phrases, each matched to its own name. */
function shop(phrases: string[], synonyms: Record<string, string> = {}) {
  const vocabulary = shopVocabulary(synonyms);
  const index = createPhraseIndex<string>();
  for (const phrase of phrases) {
    const exact = phrase.startsWith('=');
    addPhrase(vocabulary, index, exact ? phrase.slice(1) : phrase, phrase, { exact });
  }
  const best = (text: string) => bestMatch(index, readMessage(vocabulary, text));
  return { vocabulary, index, best, winner: (text: string) => best(text)?.value, how: (text: string) => best(text)?.how };
}

const PHRASES = ['harga', 'katalog', 'alamat', 'pesanan', 'ongkir', 'makasih', 'halo', 'kopi', 'kirim barang', 'mau pesan', 'toko di mana', 'oke', 'kak'];

describe('matching as customers write', () => {
  const { winner, how, best } = shop(PHRASES);

  it('folds stretched letters', () => {
    expect(winner('makasiiih')).toBe('makasih');
    expect(winner('okeee')).toBe('oke');
    expect(winner('halooo kakk')).toBe('halo');
  });

  it('reads chat abbreviations through the lexicon', () => {
    expect(winner('mksh ya')).toBe('makasih');
    expect(winner('trims')).toBe('makasih');
    expect(winner('mo pesan dong')).toBe('mau pesan');
    expect(winner('tokonya dmn')).toBe('toko di mana');
    expect(winner('toko dmn kak?')).toBe('toko di mana');
    expect(how('toko dmn kak?')).toBe('synonym');
    expect(shop(['di mana']).winner('dmn?')).toBe('di mana');
  });

  it('strips suffixes and particles', () => {
    expect(winner('harganya brp kak?')).toBe('harga');
    expect(how('harganya brp kak?')).toBe('suffix');
    expect(winner('alamatnya dmn')).toBe('alamat');
    expect(winner('kirimkan barangnya')).toBe('kirim barang');
  });

  it('forgives typos of one edit (two on long words)', () => {
    const typos: Array<[string, string]> = [['katallog', 'katalog'], ['almat', 'alamat'], ['pesnan', 'pesanan'], ['ongkirr', 'ongkir'], ['katlaog', 'katalog']];
    for (const [typed, phrase] of typos) {
      expect([typed, winner(typed)]).toEqual([typed, phrase]);
      expect(how(typed)).toBe('typo');
    }
  });

  it('never reads a known word as a typo of another ("topi" is not "kopi"), nor a short word', () => {
    expect(winner('ada topi?')).toBeUndefined();
    expect(winner('kopu')).toBe('kopi');
    expect(winner('hrga')).toBe('harga');
    expect(winner('ok')).toBe('oke');
    expect(winner('oka')).toBeUndefined();
  });

  it('needs all the words of a phrase, in order, with only filler words between', () => {
    expect(winner('barangnya bagus')).toBeUndefined();
    expect(winner('barang kirim')).toBeUndefined();
    expect(winner('mau yang pesan')).toBe('mau pesan');
    expect(winner('mau lihat pesan')).toBeUndefined();
    expect(best('tolong kirim dong barang saya')).toMatchObject({ value: 'kirim barang', words: 'kirim dong barang', start: 1, end: 4 });
  });

  it('says what matched: the phrase, its length and the customer words', () => {
    expect(best('Harganya brp?')).toEqual({ value: 'harga', phrase: 'harga', length: 5, how: 'suffix', words: 'harganya', start: 0, end: 1, order: 0 });
  });
});

describe('which match wins', () => {
  it('the longest phrase wins, even loose over exact', () => {
    const { winner } = shop(['harga', 'harga kaos']);
    expect(winner('berapa harga kaos')).toBe('harga kaos');
    expect(winner('berapa harganya kaos')).toBe('harga kaos');
  });

  it('exact beats loose at the same length, then the phrase added first', () => {
    const { winner, index, vocabulary } = shop(['pesan', 'pesen', 'kirim', 'kirim']);
    expect(winner('pesen')).toBe('pesen');
    expect(winner('pesan')).toBe('pesan');
    expect(matchAll(index, readMessage(vocabulary, 'kirim')).map((m) => m.order)).toEqual([2, 3]);
  });

  it('an owner writing the very word a customer writes is exact, not a synonym', () => {
    const { how } = shop(['gak']);
    expect(how('gak')).toBe('exact');
    expect(how('nggak')).toBe('synonym');
  });
});

describe('exact phrases', () => {
  it('match only the words as written', () => {
    const { winner } = shop(['=promo', '=kode diskon']);
    expect(winner('ada promo?')).toBe('=promo');
    expect(winner('promonya apa')).toBeUndefined();
    expect(winner('promoo')).toBeUndefined();
    expect(winner('kode diskon')).toBe('=kode diskon');
    expect(winner('kode yang diskon')).toBeUndefined();
  });
});

describe('shop synonyms', () => {
  it('map a word customers write to the standard phrase', () => {
    const { winner, how } = shop(['bayar di tempat'], { cod: 'bayar di tempat' });
    expect(winner('bisa cod?')).toBe('bayar di tempat');
    expect(how('bisa cod?')).toBe('synonym');
  });
});

describe('whole matches', () => {
  it('are the whole message but for filler words around it', () => {
    const { index, vocabulary } = shop(['batik tulis', 'ya']);
    const whole = (text: string) => bestWholeMatch(index, readMessage(vocabulary, text))?.value;
    expect(whole('yang batik tulis dong kak')).toBe('batik tulis');
    expect(whole('ya kak')).toBe('ya');
    expect(whole('batik tulis bagus')).toBeUndefined();
    expect(whole('kak')).toBeUndefined();
  });
});
