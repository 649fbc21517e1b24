/**
 * Importing a shop's existing customer list from a CSV file into the store (`setia customers import`).
 *
 * The file:
 * - The first row is the header. Column names in any case: `phone` (required), `name`, `tags`, `counters`.
 *   Other columns are ignored, with one warning.
 * - Cells are separated by `,`, or by `;` when the header has `;` and no `,` (Excel in an Indonesian locale).
 *   A cell holding the separator or a line break is quoted (`"Toko Maju, Jaya"`), a quote inside it doubled.
 * - `phone`: spaces, dashes, dots and parentheses are ignored; `+62…` and `0062…` become `62…`, a leading `0`
 *   becomes `62` (`0812…` → `62812…`), and a `0` after `62` is dropped (`+62 0812…`). The result must be 8–15
 *   digits, the first not 0.
 * - `name`: optional.
 * - `tags`: separated by `;`, `,` or `|` inside the cell (`loyal; grosir`); trimmed, empty ones ignored.
 * - `counters`: `name=value`, separated the same way (`orders=3;visits=5`); values are whole numbers ≥ 0.
 * - Blank rows are skipped. A row with a bad cell, or with more cells than the header, is reported with its
 *   line and skipped; the other rows are imported. A broken quote stops the reading there: what follows it
 *   cannot be split into cells reliably.
 *
 * Customers are keyed by their number, so importing again adds nobody twice. A customer already known keeps
 * their name (the file's is used only when they have none) and their tags (the file's are added); each
 * counter becomes the larger of the two. Rows are written 1,000 per transaction, each customer's check-in
 * re-planned in it.
 */
import type { ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { parse, type CsvError, type Info } from 'csv-parse';
import { csvDelimiter } from '../core/text/csv-delimiter.js';
import type { CheckinPlanner } from '../checkins/planner.js';
import type { Customer } from '../core/flow/types.js';
import { CustomerFileError } from '../errors.js';
import type { CustomerRecord } from '../store/customers.js';
import type { Store } from '../store/store.js';
import { normalizePhone } from '../core/text/phone.js';

/** Rows per transaction: few commits for a big file, short enough not to hold up a running bot's replies. */
export const BATCH_SIZE = 1_000;

/** Enough of the file to hold its header line, which decides the separator. */
const HEAD_BYTES = 64 * 1024;

const COLUMNS = ['name', 'phone', 'tags', 'counters'] as const;
type Column = (typeof COLUMNS)[number];

/** Separators between tags, or between counters, inside one cell. */
const LIST_SEPARATORS = /[;,|]/;

export interface LineProblem {
  line: number;
  message: string;
}

export interface ImportResult {
  /** Customers, each counted once however many rows name them. */
  created: number;
  updated: number;
  /** Known customers the file had nothing new about. */
  unchanged: number;
  /** The rows skipped, in file order. */
  bad: LineProblem[];
  warnings: LineProblem[];
}

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  store: Store;
  planner: CheckinPlanner;
  now: number;
  /** Called after each batch is written. */
  onProgress?: (progress: ImportProgress) => void;
}

interface CustomerRow {
  phone: string;
  name: string | null;
  tags: string[];
  counters: Record<string, number>;
}

interface Header {
  /** Where each known column is. */
  columns: Partial<Record<Column, number>>;
  width: number;
  /** The other columns' names, ignored. */
  unknown: string[];
}

type Outcome = 'unchanged' | 'updated' | 'created';

/** A customer named by several rows counts by what happened to them most. */
const OUTCOME_RANK: Record<Outcome, number> = { unchanged: 0, updated: 1, created: 2 };

/** What is wrong with a row, which is then skipped. */
class BadRow extends Error {}

export async function importCustomers(file: string, options: ImportOptions): Promise<ImportResult> {
  const { stream, size, delimiter } = await openCsv(file);
  const run = new ImportRun(file, delimiter, size, options);
  const parser = parse({
    delimiter,
    info: true,
    raw: true,
    bom: true,
    trim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // A broken quote comes to on_skip: as a stream error it would drop the records parsed before it, not yet read.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) run.stopAt(error);
    },
  });
  stream.on('error', (error) => parser.destroy(error)).pipe(parser);
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) run.add(parsed);
  } finally {
    stream.destroy();
  }
  return run.finish();
}

interface ParsedRecord {
  info: Info;
  raw: string;
  record: string[];
}

/** One import, as the records stream by. */
class ImportRun {
  private readonly lines = new LineCounter();
  private readonly outcomes = new Map<number, Outcome>();
  private readonly bad: LineProblem[] = [];
  private readonly warnings: LineProblem[] = [];
  private header: Header | undefined;
  private batch: CustomerRow[] = [];
  private rows = 0;
  /** Where csv-parse gave up, after this many records: what follows a broken quote cannot be split into cells. */
  private broken: { records: number; error: CsvError } | undefined;

  constructor(
    private readonly file: string,
    private readonly delimiter: string,
    private readonly totalBytes: number,
    private readonly options: ImportOptions,
  ) {}

  add({ info, raw, record }: ParsedRecord): void {
    if (this.broken && info.records > this.broken.records) return;
    const line = this.lines.next(raw);
    if (record.every((cell) => cell === '')) return;
    if (!this.header) {
      this.header = readHeader(record, `${this.file}:${line}`);
      if (this.header.unknown.length) this.warnings.push({ line, message: `unknown columns ignored: ${this.header.unknown.join(', ')} (known: ${COLUMNS.join(', ')})` });
      return;
    }
    this.rows++;
    try {
      this.batch.push(readRow(record, this.header, this.delimiter));
    } catch (error) {
      if (!(error instanceof BadRow)) throw error;
      this.bad.push({ line, message: error.message });
    }
    if (this.batch.length >= BATCH_SIZE) this.flush(info.bytes);
  }

  /** csv-parse met a broken quote; records it parses after it are ignored. */
  stopAt(error: CsvError): void {
    this.broken ??= { records: Number(error.records), error };
  }

  finish(): ImportResult {
    const broken = this.broken && { line: this.lines.nextLine, message: unreadable(this.broken.error) };
    if (!this.header) {
      throw new CustomerFileError(broken ? `${this.file}:${broken.line}: ${broken.message}` : `${this.file}: no rows; the first row must be a header such as ${COLUMNS.join(',')}`);
    }
    if (broken) this.bad.push(broken);
    this.flush(this.totalBytes);
    return { ...countOutcomes(this.outcomes), bad: this.bad, warnings: this.warnings };
  }

  private flush(bytes: number): void {
    writeBatch(this.batch, this.options, this.outcomes);
    this.batch = [];
    this.options.onProgress?.({ bytes, totalBytes: this.totalBytes, rows: this.rows });
  }
}

/** Opens the file and picks its separator from the header line. */
async function openCsv(file: string): Promise<{ stream: ReadStream; size: number; delimiter: string }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file);
    const { size } = await handle.stat();
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(HEAD_BYTES), position: 0 });
    const delimiter = csvDelimiter(buffer.toString('utf8', 0, bytesRead));
    return { stream: handle.createReadStream({ start: 0 }), size, delimiter };
  } catch (error) {
    await handle?.close();
    throw new CustomerFileError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * The line each record starts on, counted from the records' raw text: csv-parse's own count (`info.lines`) is
 * the line a record ends on, and counts a CRLF inside quotes twice.
 */
class LineCounter {
  private breaks = 0;

  /** Where the record after the last one read starts, or the blank lines before it. */
  get nextLine(): number {
    return this.breaks + 1;
  }

  /** The line `raw` starts on, past the blank lines it may begin with. */
  next(raw: string): number {
    const start = this.nextLine + countBreaks(/^[\r\n]*/.exec(raw)![0]);
    this.breaks += countBreaks(raw);
    return start;
  }
}

function countBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function isColumn(name: string): name is Column {
  return (COLUMNS as readonly string[]).includes(name);
}

function readHeader(cells: string[], where: string): Header {
  const columns: Header['columns'] = {};
  const unknown: string[] = [];
  cells.forEach((cell, index) => {
    const name = cell.toLowerCase();
    if (!isColumn(name)) {
      if (cell) unknown.push(cell);
    } else if (columns[name] !== undefined) {
      throw new CustomerFileError(`${where}: the column "${name}" appears twice`);
    } else {
      columns[name] = index;
    }
  });
  if (columns.phone === undefined) {
    throw new CustomerFileError(`${where}: no "phone" column in the header row (${cells.join(', ')}); expected columns such as ${COLUMNS.join(',')}`);
  }
  return { columns, width: cells.length, unknown };
}

function readRow(cells: string[], header: Header, delimiter: string): CustomerRow {
  if (cells.slice(header.width).some((cell) => cell !== '')) {
    throw new BadRow(`${cells.length} cells, but the header has ${header.width} columns; put a cell that contains "${delimiter}" in quotes`);
  }
  const cell = (column: Column): string => {
    const index = header.columns[column];
    return index === undefined ? '' : (cells[index] ?? '');
  };
  const written = cell('phone');
  if (!written) throw new BadRow('no phone number');
  const phone = normalizePhone(written);
  if (!phone) throw new BadRow(`phone "${written}" is not a phone number (expected digits with country code, e.g. 6281234567890 or 0812…)`);
  return { phone, name: cell('name') || null, tags: [...new Set(listItems(cell('tags')))], counters: readCounters(cell('counters')) };
}

function listItems(cell: string): string[] {
  return cell
    .split(LIST_SEPARATORS)
    .map((item) => item.trim())
    .filter(Boolean);
}

function readCounters(cell: string): Record<string, number> {
  const entries = listItems(cell).map((item) => {
    const match = /^([^=]+?)\s*=\s*(\d+)$/.exec(item);
    const value = Number(match?.[2]);
    if (!match || !Number.isSafeInteger(value)) throw new BadRow(`counter "${item}" is not a name and a whole number ≥ 0 (e.g. orders=3;visits=5)`);
    return [match[1]!, value] as const;
  });
  return Object.fromEntries(entries);
}

function unreadable(error: CsvError): string {
  const what = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote (") opened here is never closed' : error.message;
  return `${what}; nothing from here on was imported (a cell with quotes in it must be quoted whole, each inner quote doubled: "Toko ""Maju""")`;
}

/** Writes a batch and re-plans its customers' check-ins, in one transaction. */
function writeBatch(rows: CustomerRow[], options: ImportOptions, outcomes: Map<number, Outcome>): void {
  const { store, planner, now } = options;
  store.transaction(() => {
    const touched = new Set<number>();
    for (const row of rows) {
      const { rowId, outcome } = upsert(store, row, now);
      const before = outcomes.get(rowId);
      if (!before || OUTCOME_RANK[outcome] > OUTCOME_RANK[before]) outcomes.set(rowId, outcome);
      touched.add(rowId);
    }
    touched.forEach((rowId) => planner.replan(rowId, now));
  });
}

function upsert(store: Store, row: CustomerRow, now: number): { rowId: number; outcome: Outcome } {
  const waId = `${row.phone}@s.whatsapp.net`;
  const known = store.customers.get(waId);
  if (known) {
    store.customers.markImported(known.rowId, now);
    const merged = merge(known, row);
    if (merged) store.customers.save(known, merged, 'import');
    return { rowId: known.rowId, outcome: merged ? 'updated' : 'unchanged' };
  }
  // Without a name from the file, the name WhatsApp shows fills in when they first write.
  store.customers.create(waId, now, row, row.name ? 'import' : 'whatsapp');
  const rowId = store.customers.get(waId)!.rowId;
  store.customers.markImported(rowId, now);
  return { rowId, outcome: 'created' };
}

/** The customer with what the row adds, or undefined when it adds nothing. */
function merge(customer: CustomerRecord, row: CustomerRow): Customer | undefined {
  const tags = row.tags.filter((tag) => !customer.tags.includes(tag));
  const counters = Object.entries(row.counters).filter(([name, value]) => value > (Object.hasOwn(customer.counters, name) ? customer.counters[name]! : -1));
  const name = customer.name ?? row.name;
  if (!tags.length && !counters.length && name === customer.name) return undefined;
  return { ...customer, name, tags: [...customer.tags, ...tags], counters: { ...customer.counters, ...Object.fromEntries(counters) } };
}

function countOutcomes(outcomes: Map<number, Outcome>): Pick<ImportResult, Outcome> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  outcomes.forEach((outcome) => counts[outcome]++);
  return counts;
}
