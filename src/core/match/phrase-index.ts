/**
 * Phrases compiled once (triggers, menu labels and aliases, product names) and matched against a read message.
 *
 * A phrase matches where its words follow each other in the message, each met by one reading of a customer's
 * word; filler words ("yang", "dong", "kak") may sit between them, nothing else may, and all its words are needed:
 * "kirim barang" does not match "barangnya bagus". An exact phrase meets only the customer's words as written (folded).
 * Of several matches the longest phrase wins, then the stronger (exact, synonym, suffix, typo), then the one
 * added first.
 */
import { words as wordsOf } from '../text/normalize.js';
import { HOW_RANK, weaker, type MatchHow, type MessageWord, type PhraseEntry, type PhraseIndex, type PhraseMatch, type Vocabulary } from './types.js';
import { addPhraseWords, standardWords } from './vocabulary.js';

export function createPhraseIndex<T>(): PhraseIndex<T> {
  return { entries: [], byFirstToken: new Map(), byFirstExactWord: new Map() };
}

/** The words a phrase is matched by: its standard words, or as written when exact. */
export function phraseTokens(vocabulary: Vocabulary, phrase: string, exact: boolean): string[] {
  const written = wordsOf(phrase);
  return exact ? written : written.flatMap((word) => standardWords(vocabulary, word));
}

/** A phrase as an index holds it, without touching the vocabulary (for phrases matched once, like a menu's options). */
export function phraseEntry<T>(vocabulary: Vocabulary, phrase: string, value: T, exact = false): PhraseEntry<T> | undefined {
  const tokens = phraseTokens(vocabulary, phrase, exact);
  if (!tokens.length) return undefined;
  const folded = wordsOf(phrase).join(' ');
  return { value, phrase: folded, tokens, exact, length: folded.length };
}

/**
 * Adds a phrase; its words join the vocabulary (known, and their typos recognised). Returns false for a phrase
 * without letters or digits, which could never match.
 */
export function addPhrase<T>(vocabulary: Vocabulary, index: PhraseIndex<T>, phrase: string, value: T, { exact = false } = {}): boolean {
  const entry = phraseEntry(vocabulary, phrase, value, exact);
  if (!entry) return false;
  if (!exact) addPhraseWords(vocabulary, [...wordsOf(phrase), ...entry.tokens]);
  index.entries.push(entry);
  const byFirst = exact ? index.byFirstExactWord : index.byFirstToken;
  const list = byFirst.get(entry.tokens[0]!);
  if (list) list.push(index.entries.length - 1);
  else byFirst.set(entry.tokens[0]!, [index.entries.length - 1]);
  return true;
}

/** Every phrase found in the message (at most one match per phrase and starting word). */
export function matchAll<T>(index: PhraseIndex<T>, message: MessageWord[]): PhraseMatch<T>[] {
  const found: PhraseMatch<T>[] = [];
  message.forEach((word, start) => {
    for (const order of candidates(index, word)) {
      const match = matchEntryAt(index.entries[order]!, order, message, start);
      if (match) found.push(match);
    }
  });
  return found;
}

/** Where one phrase is found in the message, each start tried (for phrases not worth an index). */
export function matchEntry<T>(entry: PhraseEntry<T>, order: number, message: MessageWord[]): PhraseMatch<T>[] {
  return message.flatMap((_, start) => matchEntryAt(entry, order, message, start) ?? []);
}

function matchEntryAt<T>(entry: PhraseEntry<T>, order: number, message: MessageWord[], start: number): PhraseMatch<T> | undefined {
  const at = entry.exact ? matchExactAt(entry, message, start) : matchAt(entry.tokens, message, start, 0, 'exact');
  return at && toMatch(entry, order, message, start, at.end, at.how);
}

/** The winning phrase in the message: longest, then strongest, then added first. */
export function bestMatch<T>(index: PhraseIndex<T>, message: MessageWord[]): PhraseMatch<T> | undefined {
  return pickBest(matchAll(index, message));
}

/** The winning phrase that is the whole message, but for filler words around it ("ya kak", "batik tulis dong"). */
export function bestWholeMatch<T>(index: PhraseIndex<T>, message: MessageWord[]): PhraseMatch<T> | undefined {
  return pickBest(matchAll(index, message).filter((match) => isWhole(message, match)));
}

export function isWhole(message: MessageWord[], { start, end }: { start: number; end: number }): boolean {
  return message.slice(0, start).every((w) => w.filler) && message.slice(end).every((w) => w.filler);
}

export function pickBest<T>(matches: PhraseMatch<T>[]): PhraseMatch<T> | undefined {
  return matches.reduce<PhraseMatch<T> | undefined>((best, match) => (best === undefined || beats(match, best) ? match : best), undefined);
}

/** Longest first, then exact before loose, then first added. */
export function beats(a: Pick<PhraseMatch<unknown>, 'length' | 'how' | 'order'>, b: Pick<PhraseMatch<unknown>, 'length' | 'how' | 'order'>): boolean {
  if (a.length !== b.length) return a.length > b.length;
  if (a.how !== b.how) return HOW_RANK[a.how] < HOW_RANK[b.how];
  return a.order < b.order;
}

function candidates<T>(index: PhraseIndex<T>, word: MessageWord): Set<number> {
  const orders = new Set(index.byFirstExactWord.get(word.text));
  for (const reading of word.readings) for (const order of index.byFirstToken.get(reading.tokens[0]!) ?? []) orders.add(order);
  return orders;
}

/**
 * Whether the phrase's tokens from `pos` on are met from message word `at` on; where the match ends and its
 * weakest way. Readings are tried strongest first, so the first match found is the strongest there is, or near.
 */
function matchAt(tokens: string[], message: MessageWord[], at: number, pos: number, how: MatchHow): { end: number; how: MatchHow } | undefined {
  if (pos === tokens.length) return { end: at, how };
  const word = message[at];
  if (!word) return undefined;
  for (const reading of word.readings) {
    if (!reading.tokens.every((token, i) => tokens[pos + i] === token)) continue;
    const found = matchAt(tokens, message, at + 1, pos + reading.tokens.length, weaker(how, reading.how));
    if (found) return found;
  }
  return pos > 0 && word.filler ? matchAt(tokens, message, at + 1, pos, how) : undefined;
}

function matchExactAt<T>(entry: PhraseEntry<T>, message: MessageWord[], start: number): { end: number; how: MatchHow } | undefined {
  const meets = entry.tokens.every((token, i) => message[start + i]?.text === token);
  return meets ? { end: start + entry.tokens.length, how: 'exact' } : undefined;
}

function toMatch<T>(entry: PhraseEntry<T>, order: number, message: MessageWord[], start: number, end: number, how: MatchHow): PhraseMatch<T> {
  const words = message.slice(start, end).map((w) => w.text).join(' ');
  // The owner wrote the customer's very words (an alias "gak" met by "gak"): that is exact, not a synonym.
  return { value: entry.value, phrase: entry.phrase, length: entry.length, how: words === entry.phrase ? 'exact' : how, words, start, end, order };
}
