/**
 * The lexicon and word lists as text: the shipped files in lexicon/ and the shop's `settings.synonyms`. Parsing is
 * pure (the flows loader reads the files); the result is an informal form → standard words map.
 */
import { words } from '../text/normalize.js';

export interface LexiconProblem {
  line: number;
  problem: string;
}

const COMMENT = /^\s*#/;

/** Parses `informal<TAB>standard` lines; a bad line is reported and skipped, the others are kept. */
export function parseLexicon(text: string): { lexicon: Map<string, string[]>; problems: LexiconProblem[] } {
  const lexicon = new Map<string, string[]>();
  const problems: LexiconProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || COMMENT.test(line)) return;
    const [informal = '', standard = '', ...rest] = line.split('\t');
    const problem = entryProblem(informal, standard) ?? (rest.length ? 'expected two columns: informal<TAB>standard' : undefined);
    if (problem) problems.push({ line: i + 1, problem });
    else if (lexicon.has(words(informal)[0]!)) problems.push({ line: i + 1, problem: `"${informal}" is listed twice` });
    else lexicon.set(words(informal)[0]!, words(standard));
  });
  return { lexicon, problems };
}

/** Why an informal form and its standard words cannot be an entry, if they cannot. */
export function entryProblem(informal: string, standard: string): string | undefined {
  if (words(informal).length !== 1) return `"${informal}" should be one word (the form customers write)`;
  if (!words(standard).length) return `"${informal}" needs the standard word or words it stands for`;
  return undefined;
}

/** Words separated by spaces or new lines; `#` starts a comment line. */
export function parseWordList(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => !COMMENT.test(line)).flatMap(words);
}

/**
 * The shipped lexicon with the shop's synonyms on top (a shop's word wins). A synonym's standard words are
 * themselves read through the shipped lexicon, so `cod: bayar ditempat` means "bayar di tempat".
 */
export function withSynonyms(lexicon: Map<string, string[]>, synonyms: Record<string, string>): Map<string, string[]> {
  const merged = new Map(lexicon);
  for (const [informal, standard] of Object.entries(synonyms)) {
    merged.set(words(informal)[0]!, words(standard).flatMap((word) => lexicon.get(word) ?? [word]));
  }
  return merged;
}
