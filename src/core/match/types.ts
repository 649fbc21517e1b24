/**
 * The shapes of loose matching (see docs/flows.md, "How matching works"). Everything is plain data (Maps, Sets,
 * arrays): a FlowSet compiled in the loader thread reaches the main thread as a structured clone, which keeps no
 * class prototypes, so the functions that use these live beside them, not on them.
 */
import type { MatchHow } from '../flow/types.js';

export type { MatchHow };

/** How a customer's word met a phrase's word, strongest first: a match is as strong as its weakest word. */
export const HOW_RANK: Record<MatchHow, number> = { exact: 0, synonym: 1, suffix: 2, typo: 3 };

export function weaker(a: MatchHow, b: MatchHow): MatchHow {
  return HOW_RANK[a] >= HOW_RANK[b] ? a : b;
}

/** The words a shop's matching knows: the shipped lexicon and word list, the shop's synonyms, every phrase's words. */
export interface Vocabulary {
  /** Informal form → the standard word or words it stands for ("yg" → ["yang"], "dmn" → ["di", "mana"]). */
  lexicon: Map<string, string[]>;
  /** Words of the language (the word list, the lexicon): never stripped of a suffix ("tanya" is not "ta" + -nya). */
  dictionary: Set<string>;
  /** The dictionary and every phrase's words: never read as a typo of another word ("topi" is not "kopi"). */
  known: Set<string>;
  /** Words a customer may put between a phrase's words, ignored around a whole answer ("dong", "yang", "kak"). */
  fillers: Set<string>;
  /**
   * Typo candidates: every phrase word of 4+ letters under each form it takes with up to its allowed number of
   * letters deleted (1, or 2 for words of 8+ letters), SymSpell style, so a typo is looked up, not searched for.
   */
  deletions: Map<string, string[]>;
}

/** One way to read a customer's word: the standard word(s) it stands for, and how it was read. */
export interface Reading {
  tokens: string[];
  how: MatchHow;
}

/** A customer's word as matching sees it. */
export interface MessageWord {
  /** The word folded (lower case, no accents), as the customer wrote it. */
  text: string;
  filler: boolean;
  /** Strongest first; empty for a word that stands for nothing (never the case for a word of the message). */
  readings: Reading[];
}

/** A phrase added to an index: a trigger, a menu label or alias, a product name. */
export interface PhraseEntry<T> {
  value: T;
  /** The phrase as written, folded: shown in explanations. */
  phrase: string;
  /** The words to meet: standard forms (lexicon applied), or as written for an exact phrase. */
  tokens: string[];
  /** Only the customer's exact words match (owner's "=word" or `exact: true`). */
  exact: boolean;
  /** Characters of the folded phrase: the longest match wins. */
  length: number;
}

/** A node of a phrase trie: the phrases that end here, and the tokens that go on. */
export interface PhraseNode {
  ends: number[];
  next: Map<string, PhraseNode>;
}

/**
 * Phrases as a trie of their tokens, so a message is matched against all of them at once, in time that grows
 * with what it matches rather than with the number of phrases (500 "tanya produk N" triggers cost one walk).
 * Exact phrases have a trie of their own: they meet the words as written.
 */
export interface PhraseIndex<T> {
  entries: PhraseEntry<T>[];
  loose: PhraseNode;
  exact: PhraseNode;
}

export interface PhraseMatch<T> {
  value: T;
  phrase: string;
  /** Characters of the phrase matched (its folded length). */
  length: number;
  how: MatchHow;
  /** The customer's words that matched, as written (folded), fillers between them included. */
  words: string;
  /** Position of the first and after the last message word matched. */
  start: number;
  end: number;
  /** Order the phrase was added in: ties go to the first added. */
  order: number;
}

/** A shop's compiled matching, on its FlowSet: the vocabulary and the index of its phrase triggers. */
export interface Matching {
  vocabulary: Vocabulary;
  /** Phrase triggers; each value is the trigger's position in FlowSet.triggers. */
  triggers: PhraseIndex<number>;
  /** Positions in FlowSet.triggers of the other triggers (regex, message kind, product), tried one by one. */
  otherTriggers: number[];
}
