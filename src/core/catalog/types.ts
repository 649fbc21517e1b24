/** The shop's product catalogue as flows see it (data/catalog.csv, see docs/flows.md). Plain data only. */

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

export interface Catalog {
  /** The file as the owner named it (settings.catalog), for messages. */
  file: string;
  products: Product[];
}

export const EMPTY_CATALOG: Catalog = { file: '', products: [] };
