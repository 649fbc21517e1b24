/**
 * Which menu option a reply names: the whole reply (filler words around it aside: "yang batik tulis dong kak") is
 * an option's label or alias, read as loosely as triggers are ("batik tulisnya", "kembaliii", "koleksii").
 * An alias written "=ya" matches only as written. Of several, the longest name wins, then the stronger way, then
 * the option listed first. Numbers ("2") are the engine's to read.
 */
import { isWhole, matchEntry, phraseEntry, pickBest } from '../match/phrase-index.js';
import { readMessage } from '../match/read-message.js';
import type { Matching, PhraseEntry, PhraseMatch } from '../match/types.js';
import { EXACT_MARK } from './triggers.js';
import type { MatchExplanation, MenuOption } from './types.js';

const EMOJI = /\p{Extended_Pictographic}/gu;

/** An option's names as phrases: each label and alias as written and, when it has emoji, as typed without them. */
function optionEntries(matching: Matching, options: MenuOption[]): PhraseEntry<{ index: number; source: string }>[] {
  return options.flatMap((option, index) =>
    [option.label, ...(option.aliases ?? [])].flatMap((source) => {
      const exact = source.trimStart().startsWith(EXACT_MARK);
      const written = exact ? source.trimStart().slice(EXACT_MARK.length) : source;
      const typed = written.replace(EMOJI, '');
      return [...new Set([written, typed])].flatMap((phrase) => phraseEntry(matching.vocabulary, phrase, { index, source }, exact) ?? []);
    }),
  );
}

/** The option the reply names and why, if it names one. */
export function optionByName(matching: Matching, options: MenuOption[], text: string): { index: number; why: MatchExplanation } | undefined {
  const message = readMessage(matching.vocabulary, text);
  const matches: PhraseMatch<{ index: number; source: string }>[] = optionEntries(matching, options).flatMap((entry, order) =>
    matchEntry(entry, order, message).filter((match) => isWhole(message, match)),
  );
  const found = pickBest(matches);
  if (!found) return undefined;
  return { index: found.value.index, why: { kind: 'option', source: found.value.source, how: found.how, words: found.words } };
}
