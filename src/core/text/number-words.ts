/**
 * Numbers as customers write them in a chat: digits ("1.500.000", "2,5"), Indonesian words ("dua puluh lima",
 * "seribu dua ratus", "duapuluh" written together), shop units ("2 lusin", "sekodi") and money shorthand
 * ("15rb", "1,5jt", "10k"), with any other words around them ("3 aja kak", "empat kotak aja").
 * An answer that names two numbers ("2 atau 3", "2-3") is ambiguous and gives nothing.
 */
import { fold } from './normalize.js';

/** A piece of a number phrase: a value, a multiplier inside a hundred ("puluh", "ratus"), "belas", or a scale. */
type Piece =
  | { kind: 'value'; value: number }
  | { kind: 'teen' }
  | { kind: 'tens' | 'hundreds' }
  | { kind: 'scale'; factor: number }
  | { kind: 'half' };

const value = (n: number): Piece => ({ kind: 'value', value: n });
const scale = (factor: number): Piece => ({ kind: 'scale', factor });
const TEEN: Piece = { kind: 'teen' };
const TENS: Piece = { kind: 'tens' };
const HUNDREDS: Piece = { kind: 'hundreds' };
const HALF: Piece = { kind: 'half' };
const ONE = value(1);

const THOUSAND = scale(1_000);
const MILLION = scale(1_000_000);
const BILLION = scale(1_000_000_000);
const DOZEN = scale(12);
/** A kodi is twenty pieces, the unit cloth and sarongs are sold by. */
const KODI = scale(20);

/** Number words; "se-" means one only in front of a multiplier, so it appears only in these compounds. */
const WORDS = new Map<string, Piece[]>(Object.entries({
  nol: [value(0)], satu: [ONE], dua: [value(2)], tiga: [value(3)], empat: [value(4)], lima: [value(5)],
  enam: [value(6)], tujuh: [value(7)], delapan: [value(8)], sembilan: [value(9)],
  belas: [TEEN], puluh: [TENS], ratus: [HUNDREDS],
  ribu: [THOUSAND], rebu: [THOUSAND], juta: [MILLION], miliar: [BILLION], milyar: [BILLION], lusin: [DOZEN], kodi: [KODI],
  sebelas: [ONE, TEEN], sepuluh: [ONE, TENS], seratus: [ONE, HUNDREDS], seribu: [ONE, THOUSAND], sejuta: [ONE, MILLION],
  semiliar: [ONE, BILLION], semilyar: [ONE, BILLION], selusin: [ONE, DOZEN], sekodi: [ONE, KODI], setengah: [HALF],
}));

/** Chat shorthand, only as a word of its own (or straight after digits: "10rb"), never inside another word. */
const SHORTHAND = new Map<string, Piece>([['rb', THOUSAND], ['k', THOUSAND], ['jt', MILLION]]);

const TOKEN = /\d+(?:[.,]\d+)*|\p{L}+/gu;

/** Digits as Indonesians write them: dots group thousands ("1.500.000"), a comma is the decimal mark ("2,5"). */
export function parseDigits(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(compact)) return Number(compact.replace(/\./g, '').replace(',', '.'));
  if (/^[+-]?\d+([.,]\d+)?$/.test(compact)) return Number(compact.replace(',', '.'));
  return undefined;
}

const LONGEST_WORD = Math.max(...[...WORDS.keys()].map((w) => w.length));
/** No number is written as a longer word; the cap keeps a long run of letters from a customer cheap. */
const LONGEST_COMPOUND = 40;

/** A word's number pieces when the whole word is made of number words ("duapuluhlima"), else undefined. */
function splitNumberWord(word: string): Piece[] | undefined {
  if (word === '') return [];
  if (word.length > LONGEST_COMPOUND) return undefined;
  for (let end = Math.min(word.length, LONGEST_WORD); end > 0; end--) {
    const head = WORDS.get(word.slice(0, end));
    const rest = head && splitNumberWord(word.slice(end));
    if (head && rest) return [...head, ...rest];
  }
  return undefined;
}

/** The pieces of each word; `null` stands for a word that is not part of a number. */
function pieces(text: string): Array<Piece[] | null> | undefined {
  const result: Array<Piece[] | null> = [];
  for (const token of fold(text).match(TOKEN) ?? []) {
    if (/^\d/.test(token)) {
      const digits = parseDigits(token);
      if (digits === undefined) return undefined;
      result.push([value(digits)]);
    } else {
      const shorthand = SHORTHAND.get(token);
      result.push(shorthand ? [shorthand] : (splitNumberWord(token) ?? null));
    }
  }
  return result;
}

/** Splits the words into runs of number pieces; a run must start with a value, otherwise its word is just a word. */
function phrases(words: Array<Piece[] | null>): Piece[][] {
  const runs: Piece[][] = [];
  let run: Piece[] | null = null;
  for (const word of words) {
    const startsNumber = word !== null && (word[0]!.kind === 'value' || word[0]!.kind === 'half');
    if (word === null || (run === null && !startsNumber)) run = null;
    else if (run === null) runs.push((run = [...word]));
    else run.push(...word);
  }
  return runs;
}

/** Tidies binary floating point: 1,1 × 1000 is 1100, not 1100.0000000000002. */
const tidy = (n: number): number => Number(n.toPrecision(12));

/** Works out one phrase, or undefined when its pieces do not form a number ("dua tiga", "ribu juta"). */
function evaluate(phrase: Piece[]): number | undefined {
  let total = 0;
  let group = 0;
  let pending: number | undefined;
  let lastScale = Infinity;
  const digit = (): number | undefined => (pending !== undefined && Number.isInteger(pending) && pending >= 1 && pending <= 9 ? pending : undefined);
  for (const piece of phrase) {
    const d = digit();
    switch (piece.kind) {
      case 'value':
        if (pending !== undefined) return undefined;
        pending = piece.value;
        break;
      case 'teen':
        if (d === undefined || group % 100 !== 0) return undefined;
        [group, pending] = [group + 10 + d, undefined];
        break;
      case 'tens':
        if (d === undefined || group % 100 !== 0) return undefined;
        [group, pending] = [group + d * 10, undefined];
        break;
      case 'hundreds':
        if (d === undefined || group !== 0) return undefined;
        [group, pending] = [d * 100, undefined];
        break;
      case 'half':
        if (pending === undefined ? group !== 0 : !Number.isInteger(pending)) return undefined;
        pending = (pending ?? 0) + 0.5;
        break;
      case 'scale': {
        const amount = group + (pending ?? 0);
        if (amount === 0 || piece.factor >= lastScale) return undefined;
        [total, group, pending, lastScale] = [total + amount * piece.factor, 0, undefined, piece.factor];
      }
    }
  }
  return tidy(total + group + (pending ?? 0));
}

/** The one number a message names, or undefined when it names none, several, or a malformed one. */
export function parseNumber(text: string): number | undefined {
  const whole = parseDigits(text);
  if (whole !== undefined) return whole;
  const words = pieces(text);
  const runs = words && phrases(words);
  return runs?.length === 1 ? evaluate(runs[0]!) : undefined;
}
