/** Reads the catalogue file named in the flows (settings.catalog, default data/catalog.csv) from the shop's folder. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { indexProductNames } from '../core/catalog/match.js';
import { EMPTY_CATALOG, type Catalog } from '../core/catalog/types.js';
import type { Vocabulary } from '../core/match/types.js';
import { FlowError } from '../errors.js';
import { parseCatalog } from './parse.js';

export const DEFAULT_CATALOG = 'data/catalog.csv';

/**
 * The catalogue and its problems; its product names join the shop's vocabulary. No file at the default place
 * means the shop has no catalogue; a file the flows name that is not there is a problem.
 */
export function loadCatalog(shopRoot: string, written: string | undefined, vocabulary: Vocabulary): { catalog: Catalog; problems: FlowError[] } {
  const file = written ?? DEFAULT_CATALOG;
  let text: string;
  try {
    text = readFileSync(resolve(shopRoot, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && written === undefined) return { catalog: EMPTY_CATALOG, problems: [] };
    return { catalog: { ...EMPTY_CATALOG, file }, problems: [new FlowError(file, 1, 0, `cannot read the catalogue (${code ?? String(error)}); settings.catalog names it`)] };
  }
  const { products, problems } = parseCatalog(file, text, (photo) => existsSync(resolve(shopRoot, photo)));
  return { catalog: { file, products, names: indexProductNames(vocabulary, products) }, problems };
}
