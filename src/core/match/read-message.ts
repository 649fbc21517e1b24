/**
 * A customer's message as matching reads it: each word with the standard words it may stand for, strongest
 * reading first. A known word is read as itself (through the lexicon: "yg" → yang); an unknown one may be a
 * stretched word ("makasiiih"), an affixed one ("harganya") or a typo ("katallog") of a phrase's word.
 */
import { words as wordsOf } from '../text/normalize.js';
import { strippedForms } from './affixes.js';
import { foldElongation } from './elongation.js';
import { typoCandidates } from './typo.js';
import type { MatchHow, MessageWord, Reading, Vocabulary } from './types.js';
import { standardWords } from './vocabulary.js';

/** The last message read: a turn reads the same message for triggers, products and menu options. */
let last: { vocabulary: Vocabulary; text: string; words: readonly MessageWord[] } | undefined;

/** The message's words as matching reads them. The result is shared between callers: never mutate it. */
export function readMessage(vocabulary: Vocabulary, text: string): readonly MessageWord[] {
  if (last?.vocabulary !== vocabulary || last.text !== text) last = { vocabulary, text, words: wordsOf(text).map((word) => readWord(vocabulary, word)) };
  return last.words;
}

export function readWord(vocabulary: Vocabulary, word: string): MessageWord {
  const { known, lexicon, fillers } = vocabulary;
  const standard = standardWords(vocabulary, word);
  const readings: Reading[] = [{ tokens: standard, how: lexicon.has(word) ? 'synonym' : 'exact' }];
  readings.push(...looseReadings(vocabulary, word, known.has(word)));
  const filler = fillers.has(word) || (standard.length === 1 && fillers.has(standard[0]!));
  return { text: word, filler, readings };
}

/**
 * Other readings of a word: unstretched, unaffixed, or a typo; the first kind that finds any. A phrase's own
 * word ("harganya" in a trigger "berapa harganya") is known but still read without its suffix too; a word of
 * the dictionary never is, and a known word is never a typo.
 */
function looseReadings(vocabulary: Vocabulary, word: string, isKnownWord: boolean): Reading[] {
  const isKnown = (w: string): boolean => vocabulary.known.has(w);
  if (vocabulary.dictionary.has(word)) return [];
  const unstretched = isKnownWord ? undefined : foldElongation(word, isKnown);
  if (unstretched !== undefined && isKnown(unstretched)) return [reading(vocabulary, unstretched, 'typo')];
  const base = unstretched ?? word;
  const stripped = strippedForms(base);
  const stemmed = stripped.find(isKnown);
  if (stemmed !== undefined) return [reading(vocabulary, stemmed, unstretched === undefined ? 'suffix' : 'typo')];
  if (isKnownWord) return [];
  // A typo of the word, or of the word without its suffix ("katallognya").
  for (const form of [base, ...stripped]) {
    const typos = typoCandidates(vocabulary.deletions, form);
    if (typos.length) return typos.map((typo) => reading(vocabulary, typo, 'typo'));
  }
  return [];
}

function reading(vocabulary: Vocabulary, word: string, how: MatchHow): Reading {
  return { tokens: standardWords(vocabulary, word), how };
}
