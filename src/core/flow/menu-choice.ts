/**
 * Which menu option a reply names: the whole reply (filler words around it aside: "yang batik tulis dong kak") is
 * an option's label or alias, read as loosely as triggers are ("batik tulisnya", "kembaliii", "koleksii").
 * An alias written "=ya" matches only as written. Of several, the longest name wins, then the stronger way, then
 * the option listed first. Numbers ("2") are the engine's to read.
 */
import { createPhraseIndex, insertEntry, isWhole, matchAll, phraseEntry, pickBest } from '../match/phrase-index.js';
import { readMessage } from '../match/read-message.js';
import type { Matching, PhraseIndex } from '../match/types.js';
import { EXACT_MARK } from './triggers.js';
import type { MatchExplanation, MenuOption } from './types.js';

const EMOJI = /\p{Extended_Pictographic}/gu;

type OptionName = { index: number; source: string };

/**
 * Each menu's index, built on its first answer and kept while its FlowSet lives: a FlowSet's matching and menus
 * are never changed after compiling, and rebuilding the index was about 6 % of a message's CPU.
 */
const indexes = new WeakMap<Matching, WeakMap<MenuOption[], PhraseIndex<OptionName>>>();

function cachedOptionIndex(matching: Matching, options: MenuOption[]): PhraseIndex<OptionName> {
  let menus = indexes.get(matching);
  if (!menus) indexes.set(matching, (menus = new WeakMap()));
  let names = menus.get(options);
  if (!names) menus.set(options, (names = optionIndex(matching, options)));
  return names;
}

/** An option's names as phrases: each label and alias as written and, when it has emoji, as typed without them. */
function optionIndex(matching: Matching, options: MenuOption[]): PhraseIndex<OptionName> {
  const names = createPhraseIndex<OptionName>();
  options.forEach((option, index) => {
    for (const source of [option.label, ...(option.aliases ?? [])]) {
      const exact = source.trimStart().startsWith(EXACT_MARK);
      const written = exact ? source.trimStart().slice(EXACT_MARK.length) : source;
      for (const phrase of new Set([written, written.replace(EMOJI, '')])) {
        const entry = phraseEntry(matching.vocabulary, phrase, { index, source }, exact);
        if (entry) insertEntry(names, entry);
      }
    }
  });
  return names;
}

/** The option the reply names and why, if it names one. */
export function optionByName(matching: Matching, options: MenuOption[], text: string): { index: number; why: MatchExplanation } | undefined {
  const message = readMessage(matching.vocabulary, text);
  const found = pickBest(matchAll(cachedOptionIndex(matching, options), message).filter((match) => isWhole(message, match)));
  if (!found) return undefined;
  return { index: found.value.index, why: { kind: 'option', source: found.value.source, how: found.how, words: found.words } };
}
