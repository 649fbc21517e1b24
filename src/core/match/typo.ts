/**
 * Typos: one edit (a letter added, missing, changed, or two neighbours swapped) on words of 4+ letters, two on
 * words of 8+ letters. Candidates come from a deletion index built when the flows compile (SymSpell style: a
 * word and a typo of it share a form with letters deleted), then each is checked with the edit distance.
 */
import { distance } from 'fastest-levenshtein';

/** Words shorter than this are never read as typos: too many short words are one letter apart. */
export const MIN_TYPO_LENGTH = 4;
const TWO_EDITS_FROM = 8;
/** The most edits any word allows: how deep a customer's word is deleted when looking for candidates. */
const MAX_EDITS = 2;

const LETTERS_ONLY = /^\p{L}+$/u;

/** Edits allowed between a typo and this known word. */
export function allowedEdits(word: string): number {
  if (word.length < MIN_TYPO_LENGTH || !LETTERS_ONLY.test(word)) return 0;
  return word.length >= TWO_EDITS_FROM ? 2 : 1;
}

/** The word and every form of it with up to `depth` letters deleted. */
export function deletionForms(word: string, depth: number): Set<string> {
  const forms = new Set([word]);
  let layer = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const form of layer) {
      for (let i = 0; i < form.length; i++) {
        const shorter = form.slice(0, i) + form.slice(i + 1);
        if (!forms.has(shorter)) {
          forms.add(shorter);
          next.push(shorter);
        }
      }
    }
    layer = next;
  }
  return forms;
}

/** Adds a word to the deletion index (if it is long enough to have typos). */
export function indexTypos(deletions: Map<string, string[]>, word: string): void {
  const edits = allowedEdits(word);
  // The word is its own first form: indexed already (phrases share words: 500 menus say "lanjut").
  if (!edits || deletions.get(word)?.includes(word)) return;
  for (const form of deletionForms(word, edits)) {
    const words = deletions.get(form);
    if (!words) deletions.set(form, [word]);
    else if (!words.includes(word)) words.push(word);
  }
}

/**
 * Optimal string alignment distance within `edits`: Levenshtein (from the library) plus swaps of neighbouring
 * letters, which Levenshtein counts as two edits.
 */
export function withinEdits(typed: string, word: string, edits: number): boolean {
  if (distance(typed, word) <= edits) return true;
  if (edits < 1) return false;
  for (let i = 0; i + 1 < typed.length; i++) {
    if (typed[i] === typed[i + 1]) continue;
    const swapped = typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2);
    if (withinEdits(swapped, word, edits - 1)) return true;
  }
  return false;
}

/** The indexed words this (unknown) word is a typo of, nearest first. */
export function typoCandidates(deletions: Map<string, string[]>, typed: string): string[] {
  if (typed.length < MIN_TYPO_LENGTH || !LETTERS_ONLY.test(typed)) return [];
  const found = new Set<string>();
  // A typo of up to 7 letters meets a word allowing two edits with one deletion on its side (the word's deletion
  // forms go two deep); only a longer one needs two.
  for (const form of deletionForms(typed, typed.length >= TWO_EDITS_FROM ? MAX_EDITS : 1)) {
    for (const word of deletions.get(form) ?? []) found.add(word);
  }
  return [...found]
    .filter((word) => word !== typed && withinEdits(typed, word, allowedEdits(word)))
    .sort((a, b) => distance(typed, a) - distance(typed, b));
}
