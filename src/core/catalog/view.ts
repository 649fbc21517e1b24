/**
 * The catalogue as templates read it: {{catalog.all}} lists every product with its price, {{catalog.batik_tulis}}
 * the products of one category (its name folded, words joined by _), {{catalog.count}} how many there are.
 */
import { canonical } from '../text/normalize.js';
import { formatRupiah } from '../text/money.js';
import type { Catalog, Product } from './types.js';

/** A category as a template names it: "Kaos & daster" → kaos_daster. */
export function categoryKey(category: string): string {
  return canonical(category).replace(/ /g, '_');
}

function line(product: Product): string {
  return `• ${product.name}: ${formatRupiah(product.price)}${product.stock === 0 ? ' (habis)' : ''}`;
}

// One view per catalogue: a catalogue is never changed once loaded (a reload makes a new one).
const views = new WeakMap<Catalog, Record<string, string | number>>();

export function catalogView(catalog: Catalog): Record<string, string | number> {
  let view = views.get(catalog);
  if (!view) {
    view = { all: catalog.products.map(line).join('\n'), count: catalog.products.length };
    for (const product of catalog.products) {
      if (!product.category) continue;
      const key = categoryKey(product.category);
      view[key] = view[key] ? `${view[key]}\n${line(product)}` : line(product);
    }
    views.set(catalog, view);
  }
  return view;
}
