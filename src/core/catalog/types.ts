/** The shop's product catalogue as flows see it (data/catalog.csv, see docs/flows.md). Plain data only. */
import { createPhraseIndex } from '../match/phrase-index.js';
import type { PhraseIndex } from '../match/types.js';

export interface Product {
  name: string;
  /** Whole rupiah. */
  price: number;
  aliases: string[];
  category: string | null;
  /** null: stock is not tracked; 0: sold out. */
  stock: number | null;
  /** A file under data/, relative to the shop's folder, e.g. data/photos/roti-coklat.jpg. */
  photo: string | null;
  description: string | null;
  /** Every other column, by its header, for templates ({{product.weight}}). */
  extra: Record<string, string>;
}

/** A phrase that names a product: its name or an alias, or the first words of one (`whole` false). */
export interface ProductPhrase {
  /** Position in Catalog.products. */
  product: number;
  whole: boolean;
  /** The name or alias as written. */
  source: string;
}

export interface Catalog {
  /** The file as the owner named it (settings.catalog), for messages. */
  file: string;
  products: Product[];
  /** Every product's names and their first words, matched as loosely as triggers (src/core/catalog/match.ts). */
  names: PhraseIndex<ProductPhrase>;
}

export const EMPTY_CATALOG: Catalog = { file: '', products: [], names: createPhraseIndex() };
