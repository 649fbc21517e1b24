/**
 * A shop's matching, built when the flows compile: the shipped lexicon and word lists (lexicon/ at the repository
 * root, read here so the core stays pure), the shop's `settings.synonyms`, every menu label and alias, and the
 * index of the phrase triggers.
 */
import { readFileSync } from 'node:fs';
import { foldElongation } from '../core/match/elongation.js';
import { stem } from '../core/match/affixes.js';
import { parseLexicon, parseWordList, withSynonyms } from '../core/match/lexicon.js';
import { addPhrase, createPhraseIndex, phraseTokens } from '../core/match/phrase-index.js';
import type { Matching, Vocabulary } from '../core/match/types.js';
import { addPhraseWords, createVocabulary } from '../core/match/vocabulary.js';
import type { Flow, MenuOption, Step, Trigger } from '../core/flow/types.js';
import { EXACT_MARK } from '../core/flow/triggers.js';
import { words } from '../core/text/normalize.js';

const LEXICON_DIR = new URL('../../lexicon/', import.meta.url);
export const SLANG_FILE = new URL('id-slang.tsv', LEXICON_DIR);
export const WORDS_FILE = new URL('id-words.txt', LEXICON_DIR);
export const FILLERS_FILE = new URL('id-fillers.txt', LEXICON_DIR);

/** The shipped lexicon with the shop's synonyms, before any phrase is added. */
export function shopVocabulary(synonyms: Record<string, string> = {}): Vocabulary {
  const { lexicon } = parseLexicon(readFileSync(SLANG_FILE, 'utf8'));
  return createVocabulary({
    lexicon: withSynonyms(lexicon, synonyms),
    words: parseWordList(readFileSync(WORDS_FILE, 'utf8')),
    fillers: parseWordList(readFileSync(FILLERS_FILE, 'utf8')),
  });
}

/**
 * What a phrase comes to once folded, read through the lexicon, unstretched and unaffixed: two triggers of
 * different flows with the same key are the same trigger to a customer.
 */
export function looseKey(vocabulary: Vocabulary, phrase: string): string {
  const isKnown = (word: string): boolean => vocabulary.dictionary.has(word);
  return phraseTokens(vocabulary, phrase, false)
    .map((token) => {
      const unstretched = foldElongation(token, isKnown) ?? token;
      return stem(unstretched, isKnown) ?? unstretched;
    })
    .join(' ');
}

/** Every menu option in the steps, at any depth. */
function* menuOptions(steps: Step[]): Generator<MenuOption> {
  for (const step of steps) {
    if (typeof step === 'string') continue;
    if ('menu' in step) {
      for (const option of step.options) {
        yield option;
        if (option.steps) yield* menuOptions(option.steps);
      }
    }
    if ('if' in step) yield* menuOptions([...step.then, ...(step.else ?? [])]);
  }
}

/** Menu labels and aliases join the vocabulary, so a typo of one is recognised ("=ya" aliases stay exact). */
function addMenuWords(vocabulary: Vocabulary, flows: Iterable<Flow>): void {
  for (const flow of flows) {
    for (const option of menuOptions(flow.steps)) {
      const loose = [option.label, ...(option.aliases ?? [])].filter((name) => !name.trimStart().startsWith(EXACT_MARK));
      const written = loose.flatMap(words);
      addPhraseWords(vocabulary, [...written, ...written.flatMap((word) => vocabulary.lexicon.get(word) ?? [])]);
    }
  }
}

/** The compiled matching of a shop: menu words and phrase triggers added to the vocabulary, triggers indexed. */
export function buildMatching(vocabulary: Vocabulary, triggers: Trigger[], flows: Iterable<Flow>): Matching {
  addMenuWords(vocabulary, flows);
  const index = createPhraseIndex<number>();
  const otherTriggers: number[] = [];
  triggers.forEach((trigger, position) => {
    if (trigger.kind === 'phrase') addPhrase(vocabulary, index, trigger.phrase, position, { exact: trigger.exact });
    else otherTriggers.push(position);
  });
  return { vocabulary, triggers: index, otherTriggers };
}
