/**
 * Letters held down for feeling: "makasiiih", "okeee", "kakk". A repeated letter is folded to one or two, and the
 * form that is a known word is taken, so real double letters ("maaf", "saat", "tanggal") survive.
 */

const REPEATS = /(\p{L})\1+/gu;
/** More runs than this are not worth trying every way (2^runs forms): the word is folded to single letters. */
const MAX_RUNS = 6;

/** The known word a stretched word stands for, else the word with runs of 3+ letters cut to two; undefined when nothing repeats. */
export function foldElongation(word: string, isKnown: (word: string) => boolean): string | undefined {
  const runs = [...word.matchAll(REPEATS)];
  if (!runs.length) return undefined;
  if (runs.length <= MAX_RUNS) {
    const known = forms(word, runs).filter(isKnown);
    // The longest known form is the one nearest to what was typed ("maaaf" → maaf, not maf).
    if (known.length) return known.reduce((a, b) => (b.length > a.length ? b : a));
  }
  const cut = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return cut === word ? undefined : cut;
}

/** Every form with each run of a repeated letter as one or as two letters. */
function forms(word: string, runs: RegExpMatchArray[]): string[] {
  let results = [''];
  let at = 0;
  for (const run of runs) {
    const before = word.slice(at, run.index);
    const letter = run[1]!;
    results = results.flatMap((prefix) => [prefix + before + letter, prefix + before + letter + letter]);
    at = run.index! + run[0].length;
  }
  return results.map((prefix) => prefix + word.slice(at)).filter((form) => form !== word);
}
