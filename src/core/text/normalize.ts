/**
 * Text comparison as customers expect it: case-insensitive, accents ignored, punctuation around words ignored.
 * "Sélamat  Pagi!!" and "selamat pagi" compare equal.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const WORD = /[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu;

/** Lower-cases and strips accents, keeping everything else. */
export function fold(text: string): string {
  // Most messages are plain ASCII, which NFKD leaves as it is and which has no combining marks.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** The words of a text after folding; punctuation and spacing are dropped. */
export function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The folded words joined by single spaces: the canonical form used to compare phrases. */
export function canonical(text: string): string {
  return words(text).join(' ');
}
