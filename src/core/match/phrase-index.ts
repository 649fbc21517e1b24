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
import { HOW_RANK, weaker, type MatchHow, type MessageWord, type PhraseEntry, type PhraseIndex, type PhraseMatch, type PhraseNode, type Vocabulary } from './types.js';
import { addPhraseWords, standardWords } from './vocabulary.js';

function node(): PhraseNode {
  return { ends: [], next: new Map() };
}

export function createPhraseIndex<T>(): PhraseIndex<T> {
  return { entries: [], loose: node(), exact: node() };
}

/** The words a phrase is matched by: its standard words, or as written when exact. */
export function phraseTokens(vocabulary: Vocabulary, phrase: string, exact: boolean): string[] {
  const written = wordsOf(phrase);
  return exact ? written : written.flatMap((word) => standardWords(vocabulary, word));
}

/** A phrase as an index holds it; undefined for a phrase without letters or digits, which could never match. */
export function phraseEntry<T>(vocabulary: Vocabulary, phrase: string, value: T, exact = false): PhraseEntry<T> | undefined {
  const tokens = phraseTokens(vocabulary, phrase, exact);
  if (!tokens.length) return undefined;
  const folded = wordsOf(phrase).join(' ');
  return { value, phrase: folded, tokens, exact, length: folded.length };
}

/** Adds an entry to the index, leaving the vocabulary as it is (for phrases matched once, like a menu's options). */
export function insertEntry<T>(index: PhraseIndex<T>, entry: PhraseEntry<T>): void {
  let at = entry.exact ? index.exact : index.loose;
  for (const token of entry.tokens) {
    let next = at.next.get(token);
    if (!next) at.next.set(token, (next = node()));
    at = next;
  }
  at.ends.push(index.entries.length);
  index.entries.push(entry);
}

/**
 * Adds a phrase; its words join the vocabulary (known, and their typos recognised). Returns false for a phrase
 * without letters or digits, which could never match.
 */
export function addPhrase<T>(vocabulary: Vocabulary, index: PhraseIndex<T>, phrase: string, value: T, { exact = false } = {}): boolean {
  const entry = phraseEntry(vocabulary, phrase, value, exact);
  if (!entry) return false;
  if (!exact) addPhraseWords(vocabulary, [...wordsOf(phrase), ...entry.tokens]);
  insertEntry(index, entry);
  return true;
}

/** Every phrase found in the message: for each phrase and starting word, its strongest match. */
export function matchAll<T>(index: PhraseIndex<T>, message: readonly MessageWord[]): PhraseMatch<T>[] {
  const found: PhraseMatch<T>[] = [];
  for (let start = 0; start < message.length; start++) {
    const ends = new Map<number, { end: number; how: MatchHow }>();
    const record = (order: number, end: number, how: MatchHow): void => {
      const seen = ends.get(order);
      if (!seen || HOW_RANK[how] < HOW_RANK[seen.how]) ends.set(order, { end, how });
    };
    walkLoose(index.loose, message, start, 'exact', false, record);
    walkExact(index.exact, message, start, record);
    for (const [order, { end, how }] of ends) found.push(toMatch(index.entries[order]!, order, message, start, end, how));
  }
  return found;
}

type Found = (order: number, end: number, how: MatchHow) => void;

/** Follows the trie through the readings of the words from `at` on; filler words are skipped once a phrase has begun. */
function walkLoose(from: PhraseNode, message: readonly MessageWord[], at: number, how: MatchHow, begun: boolean, record: Found): void {
  const word = message[at];
  if (!word) return;
  for (const reading of word.readings) {
    let here: PhraseNode | undefined = from;
    for (const token of reading.tokens) here = here?.next.get(token);
    if (!here) continue;
    const weakest = weaker(how, reading.how);
    for (const order of here.ends) record(order, at + 1, weakest);
    if (here.next.size) walkLoose(here, message, at + 1, weakest, true, record);
  }
  if (begun && word.filler) walkLoose(from, message, at + 1, how, true, record);
}

function walkExact(from: PhraseNode, message: readonly MessageWord[], start: number, record: Found): void {
  let here: PhraseNode | undefined = from;
  for (let at = start; here && at < message.length; at++) {
    here = here.next.get(message[at]!.text);
    for (const order of here?.ends ?? []) record(order, at + 1, 'exact');
  }
}

/** The winning phrase in the message: longest, then strongest, then added first. */
export function bestMatch<T>(index: PhraseIndex<T>, message: readonly MessageWord[]): PhraseMatch<T> | undefined {
  return pickBest(matchAll(index, message));
}

/** The winning phrase that is the whole message, but for filler words around it ("ya kak", "batik tulis dong"). */
export function bestWholeMatch<T>(index: PhraseIndex<T>, message: readonly MessageWord[]): PhraseMatch<T> | undefined {
  return pickBest(matchAll(index, message).filter((match) => isWhole(message, match)));
}

export function isWhole(message: readonly MessageWord[], { start, end }: { start: number; end: number }): boolean {
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

function toMatch<T>(entry: PhraseEntry<T>, order: number, message: readonly MessageWord[], start: number, end: number, how: MatchHow): PhraseMatch<T> {
  const words = message.slice(start, end).map((w) => w.text).join(' ');
  // The owner wrote the customer's very words (an alias "gak" met by "gak"): that is exact, not a synonym.
  return { value: entry.value, phrase: entry.phrase, length: entry.length, how: words === entry.phrase ? 'exact' : how, words, start, end, order };
}
