/**
 * Which products a message names. A product is named by its name or an alias, or by the first words of one
 * ("roti" names every "Roti …"): the longest named part wins, and a whole name beats the same length of a
 * longer one. Several products named equally ("ada roti?") are all returned, for the customer to choose from.
 */
import { canonical, words } from '../text/normalize.js';
import type { MatchHow } from '../flow/types.js';
import type { Catalog, Product } from './types.js';

export interface ProductMatch {
  products: Product[];
  /** Characters of the product's name or alias matched: compared with triggers for "the longest match wins". */
  length: number;
  /** The name or alias matched (of the first product). */
  source: string;
  /** The customer's words that matched. */
  words: string;
  how: MatchHow;
}

/** Words that may sit inside a product's name as customers write it: "roti yang coklat". */
const FILLERS = new Set(['yang', 'yg', 'nya', 'rasa']);

interface Candidate {
  length: number;
  whole: boolean;
  source: string;
  words: string;
}

/** The longest run of the phrase's first words found in the message, skipping fillers between them. */
function namedPart(phrase: string[], message: string[]): { count: number; words: string } {
  let best = { count: 0, words: '' };
  for (let start = 0; start < message.length; start++) {
    if (message[start] !== phrase[0]) continue;
    let count = 0;
    let at = start;
    while (count < phrase.length && at < message.length) {
      if (message[at] === phrase[count]) count++;
      else if (!FILLERS.has(message[at]!)) break;
      at++;
    }
    if (count > best.count) best = { count, words: message.slice(start, at).join(' ') };
  }
  return best;
}

function candidate(product: Product, message: string[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const source of [product.name, ...product.aliases]) {
    const phrase = words(source);
    const { count, words: matched } = namedPart(phrase, message);
    if (count === 0) continue;
    const found = { length: phrase.slice(0, count).join(' ').length, whole: count === phrase.length, source, words: matched };
    if (!best || better(found, best)) best = found;
  }
  return best;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.length > b.length || (a.length === b.length && a.whole && !b.whole);
}

export function findProducts(catalog: Catalog, text: string): ProductMatch | undefined {
  const message = canonical(text).split(' ').filter(Boolean);
  let best: Candidate | undefined;
  let products: Product[] = [];
  for (const product of catalog.products) {
    const found = candidate(product, message);
    if (!found) continue;
    if (!best || better(found, best)) {
      best = found;
      products = [product];
    } else if (!better(best, found)) {
      products.push(product);
    }
  }
  return best && { products, length: best.length, source: best.source, words: best.words, how: 'exact' };
}

/**
 * The one of `choices` an answer picks by a word that sets it apart ("yang tawar" among Roti coklat, Roti keju and
 * Roti tawar), or undefined when it picks none or several.
 */
export function pickAmong(choices: Product[], text: string): Product | undefined {
  if (!choices.length) return undefined;
  const answer = new Set(words(text));
  const named = choices.map((product) => words(product.name));
  const shared = named.reduce((common, name) => common.filter((word) => name.includes(word)));
  const picked = choices.filter((_, i) => named[i]!.some((word) => !shared.includes(word) && answer.has(word)));
  return picked.length === 1 ? picked[0] : undefined;
}
