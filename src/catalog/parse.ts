/**
 * Reads the catalogue CSV (data/catalog.csv): one product a row, `name` and `price` required. Comma- or
 * semicolon-separated (Excel in Indonesian saves ";"), UTF-8 with or without BOM. A bad row is reported as
 * `file:LINE: what is wrong` and skipped; the other rows are kept.
 */
import { parse } from 'csv-parse/sync';
import { FlowError } from '../errors.js';
import { csvDelimiter } from '../core/text/csv-delimiter.js';
import { isDataPath } from '../core/flow/media-path.js';
import { canonical } from '../core/text/normalize.js';
import { parsePrice } from '../core/catalog/price.js';
import type { Product } from '../core/catalog/types.js';

const KNOWN_COLUMNS = ['name', 'price', 'aliases', 'category', 'stock', 'photo', 'description'];


interface ParsedRow {
  record: string[];
  info: { lines: number };
  raw: string;
}

class CatalogReader {
  readonly problems: FlowError[] = [];
  readonly products: Product[] = [];
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly photoExists: (path: string) => boolean,
  ) {}

  problem(line: number, text: string): void {
    this.problems.push(new FlowError(this.file, line, 0, text));
  }

  row(header: string[], cells: string[], line: number): void {
    const cell = (name: string): string => (cells[header.indexOf(name)] ?? '').trim();
    if (cells.every((value) => !value.trim())) return;
    const name = cell('name');
    if (!name) return this.problem(line, 'a product needs a name');
    const price = parsePrice(cell('price'));
    if (price === undefined) return this.problem(line, `"${cell('price')}" is not a price: write it as 12000, 12.000 or Rp 12.000`);
    const stockText = cell('stock');
    const stock = stockText === '' ? null : /^\d+$/.test(stockText) ? Number(stockText) : undefined;
    if (stock === undefined) return this.problem(line, `stock "${stockText}" is not a whole number: leave it empty when you do not count stock, 0 when sold out`);
    const photo = cell('photo') || null;
    if (photo && !isDataPath(photo)) return this.problem(line, `photo "${photo}" must be a file under data/, e.g. data/photos/roti.jpg`);
    if (photo && !this.photoExists(photo)) return this.problem(line, `photo "${photo}" does not exist`);
    const key = canonical(name);
    const earlier = this.seen.get(key);
    if (earlier !== undefined) return this.problem(line, `"${name}" is already on line ${earlier}; each product once`);
    this.seen.set(key, line);
    const extra = Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]).filter(([h]) => h && !KNOWN_COLUMNS.includes(h!)));
    this.products.push({
      name,
      price,
      aliases: cell('aliases').split('|').map((alias) => alias.trim()).filter(Boolean),
      category: cell('category') || null,
      stock,
      photo,
      description: cell('description') || null,
      extra,
    });
  }
}

/** The header as templates read it: "Berat (gram)" → berat_gram. */
function columnName(header: string): string {
  return canonical(header).replace(/ /g, '_');
}

export function parseCatalog(file: string, text: string, photoExists: (path: string) => boolean): { products: Product[]; problems: FlowError[] } {
  const reader = new CatalogReader(file, photoExists);
  let rows: ParsedRow[];
  try {
    rows = parse(text, { delimiter: csvDelimiter(text.replace(/^\uFEFF/, '')), bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRow[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    reader.problem(line, `the file cannot be read as CSV: ${(error as Error).message.replace(/^Invalid .*?: /, '')}`);
    return { products: [], problems: reader.problems };
  }
  const [head, ...body] = rows;
  const header = (head?.record ?? []).map(columnName);
  for (const required of ['name', 'price']) {
    if (!header.includes(required)) reader.problem(head?.info.lines ?? 1, `no "${required}" column: the first line names the columns, e.g. name,price,aliases,stock,photo`);
  }
  if (reader.problems.length) return { products: [], problems: reader.problems };
  // info.lines is the line a record ends on; a quoted cell may span lines.
  for (const { record, info, raw } of body) reader.row(header, record, info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0));
  return { products: reader.products, problems: reader.problems };
}
