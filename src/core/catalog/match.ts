/**
 * Which products a message names, as loosely as triggers match (src/core/match): by a product's name or an
 * alias, or by the first words of one ("roti" names every "Roti …"). The longest part named wins, then a whole
 * name over the first words of a longer one, then the stronger match. Several products named equally ("ada
 * roti?") are all returned, for the customer to choose from.
 */
import { addPhrase, createPhraseIndex, matchAll } from '../match/phrase-index.js';
import { readMessage } from '../match/read-message.js';
import { HOW_RANK, type MatchHow, type PhraseIndex, type PhraseMatch, type Vocabulary } from '../match/types.js';
import { words } from '../text/normalize.js';
import type { Catalog, Product, ProductPhrase } from './types.js';

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

/** The index of every product's names and their first words; their words join the shop's vocabulary. */
export function indexProductNames(vocabulary: Vocabulary, products: Product[]): PhraseIndex<ProductPhrase> {
  const index = createPhraseIndex<ProductPhrase>();
  products.forEach((product, position) => {
    for (const source of [product.name, ...product.aliases]) {
      const written = words(source);
      for (let count = 1; count <= written.length; count++) {
        addPhrase(vocabulary, index, written.slice(0, count).join(' '), { product: position, whole: count === written.length, source });
      }
    }
  });
  return index;
}

/** Longer first, then whole names, then stronger: how one product match ranks against another. */
function compare(a: PhraseMatch<ProductPhrase>, b: PhraseMatch<ProductPhrase>): number {
  return b.length - a.length || Number(b.value.whole) - Number(a.value.whole) || HOW_RANK[a.how] - HOW_RANK[b.how];
}

export function findProducts(catalog: Catalog, vocabulary: Vocabulary, text: string): ProductMatch | undefined {
  if (!catalog.names.entries.length) return undefined;
  const matches = matchAll(catalog.names, readMessage(vocabulary, text)).sort(compare);
  const best = matches[0];
  if (!best) return undefined;
  const tied = matches.filter((match) => compare(match, best) === 0).map((match) => match.value.product);
  const products = [...new Set(tied)].map((position) => catalog.products[position]!);
  return { products, length: best.length, source: best.value.source, words: best.words, how: best.how };
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
