/**
 * Suffixes and particles stripped for matching: "harganya" → harga, "kirimkan" → kirim, "bukalah" → buka,
 * "dikirim" → kirim. Only down to a known word, and never from a word that is itself known ("tanya" stays, not
 * "ta"; "makan" stays; "pesanan" stays pesanan). A small rule set rather than a full stemmer: see docs/flows.md.
 */

/** In the order they stack at the end of a word: kirim-kan-nya-lah. */
const PARTICLES = ['lah', 'kah', 'pun', 'dong'];
const POSSESSIVES = ['nya', 'ku', 'mu'];
const DERIVATIONAL = ['kan', 'in'];
/** Passive di- ("dikirim", "dibayar"): so common in chat that it is worth the one prefix. */
const PREFIXES = ['di'];
/** A stem shorter than this is too likely to be a coincidence ("sapi" → "sa"). */
const MIN_STEM = 3;

/** Forms of the word without its particle, then possessive, then derivational suffix (each optional), longest first. */
function withoutSuffixes(word: string): string[] {
  let forms = [word];
  for (const group of [PARTICLES, POSSESSIVES, DERIVATIONAL]) {
    forms = forms.flatMap((form) => [form, ...group.filter((s) => form.endsWith(s)).map((s) => form.slice(0, -s.length))]);
  }
  return forms.filter((form) => form !== word);
}

/** Forms of the word without affixes, longest first (whether known or not: typos are looked for in them too). */
export function strippedForms(word: string): string[] {
  if (!/^\p{L}+$/u.test(word)) return [];
  const unprefixed = PREFIXES.filter((p) => word.startsWith(p)).map((p) => word.slice(p.length));
  const forms = [...withoutSuffixes(word), ...unprefixed.flatMap((form) => [form, ...withoutSuffixes(form)])];
  return [...new Set(forms)].filter((form) => form.length >= MIN_STEM).sort((a, b) => b.length - a.length);
}

/** The known word this word is an affixed form of, if it is not known itself. */
export function stem(word: string, isKnown: (word: string) => boolean): string | undefined {
  if (isKnown(word)) return undefined;
  return strippedForms(word).find(isKnown);
}
