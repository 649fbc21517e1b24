/**
 * `setia customers import <file>`: brings a shop's customer list (CSV, see src/customers/import.ts) into the
 * store. Each bad row goes to stderr as `file:line: what is wrong`, the summary to stdout, and a progress bar to
 * stderr when it is a terminal. Exit code 0 when every row was imported; 1 when any row was bad (the good ones
 * are kept) or the file cannot be imported at all.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Logger } from 'pino';
import { CheckinPlanner } from '../checkins/planner.js';
import { importCustomers, type ImportProgress, type ImportResult } from '../customers/import.js';
import { CustomerFileError } from '../errors.js';
import { loadFlows } from '../flows/load.js';
import { Store } from '../store/store.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

export interface CustomersImportOptions {
  dbPath: string;
  flowsDir: string;
  log: Logger;
  out?: Output;
  err?: Output;
}

export async function customersImport(file: string, options: CustomersImportOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const { flows, warnings } = loadFlows(options.flowsDir);
  warnings.forEach((warning) => options.log.warn(warning.message));
  const store = Store.open(options.dbPath);
  const bar = err.isTTY ? new ProgressBar(err, file) : undefined;
  try {
    const planner = new CheckinPlanner(store, () => flows);
    const importing = importCustomers(file, { store, planner, now: Date.now(), onProgress: bar && ((progress) => bar.show(progress)) });
    const result = await importing.finally(() => bar?.stop());
    report(file, result, out, err);
    return result.bad.length ? 1 : 0;
  } catch (error) {
    if (!(error instanceof CustomerFileError)) throw error;
    err.write(`${error.message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

function report(file: string, result: ImportResult, out: Output, err: Output): void {
  result.warnings.forEach(({ line, message }) => err.write(`${file}:${line}: warning: ${message}\n`));
  result.bad.forEach(({ line, message }) => err.write(`${file}:${line}: ${message}\n`));
  const bad = result.bad.length;
  out.write(`imported ${file}: ${count(result.created)} new, ${count(result.updated)} updated, ${count(result.unchanged)} unchanged, ${count(bad)} bad ${bad === 1 ? 'row' : 'rows'}\n`);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The file's bytes read so far; it appears with the first batch written, and is cleared at the end. */
class ProgressBar {
  private readonly bar: SingleBar;
  private started = false;

  constructor(stream: Output, file: string) {
    this.bar = new SingleBar({ stream, format: `${file} {bar} {percentage}% | {rows} rows`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  }

  show({ bytes, totalBytes, rows }: ImportProgress): void {
    const payload = { rows: count(rows) };
    if (this.started) this.bar.update(bytes, payload);
    else this.bar.start(totalBytes, bytes, payload);
    this.started = true;
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}
