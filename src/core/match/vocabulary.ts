/** Building a shop's Vocabulary (see types.ts) from the lexicon, the word lists and the phrases it matches. */
import { indexTypos } from './typo.js';
import type { Vocabulary } from './types.js';

export interface VocabularySource {
  lexicon: Map<string, string[]>;
  /** Common words (lexicon/id-words.txt). */
  words: Iterable<string>;
  fillers: Iterable<string>;
}

export function createVocabulary({ lexicon, words, fillers }: VocabularySource): Vocabulary {
  const dictionary = new Set(words);
  for (const [informal, standard] of lexicon) {
    dictionary.add(informal);
    standard.forEach((word) => dictionary.add(word));
  }
  return { lexicon, dictionary, known: new Set(dictionary), fillers: new Set(fillers), deletions: new Map() };
}

/** A word's standard form(s): what the lexicon says it stands for, else itself. */
export function standardWords(vocabulary: Vocabulary, word: string): string[] {
  return vocabulary.lexicon.get(word) ?? [word];
}

/** Words of the language that no phrase needs to match (never typos, never stripped), e.g. a product's description. */
export function addDictionaryWords(vocabulary: Vocabulary, words: Iterable<string>): void {
  for (const word of words) {
    vocabulary.dictionary.add(word);
    vocabulary.known.add(word);
  }
}

/** Words of a phrase: known, and typos of them are recognised. */
export function addPhraseWords(vocabulary: Vocabulary, words: Iterable<string>): void {
  for (const word of words) {
    vocabulary.known.add(word);
    indexTypos(vocabulary.deletions, word);
  }
}
