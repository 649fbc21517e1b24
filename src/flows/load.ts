/** Loading the flow files of a directory: parse, validate, merge. Problems come back as `file:line:col` lines. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadCatalog } from '../catalog/load.js';
import type { FlowSet } from '../core/flow/types.js';
import { FlowError, FlowLoadError } from '../errors.js';
import { compileFiles, type ParsedFile } from './compile.js';
import { validate } from './issues.js';
import { FlowFile } from './schema.js';
import { YamlSource } from './source.js';

export interface FlowText {
  /** The name problems are reported under: the directory as the owner gave it, joined with the file name. */
  file: string;
  text: string;
}

export interface LoadResult {
  /** Present when there are no errors (warnings allowed). */
  flows?: FlowSet;
  problems: FlowError[];
}

export function isFlowFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !/\.test\.ya?ml$/i.test(name);
}

/** The flow files of a directory, in name order (which is the order triggers tie-break in). */
export function readFlowDir(dir: string): FlowText[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isFlowFile(entry.name))
    .map((entry) => entry.name)
    .sort();
  return names.map((name) => {
    const path = join(dir, name);
    return { file: path, text: readFileSync(path, 'utf8') };
  });
}

/** One file parsed and validated on its own: what does not depend on the other files. */
interface FileResult {
  parsed?: ParsedFile;
  problems: FlowError[];
}

function parseFile(file: string, text: string): FileResult {
  const source = new YamlSource(file, text);
  if (source.errors.length) return { problems: source.errors };
  const { data, problems } = validate(FlowFile, source);
  return data ? { parsed: { source, data }, problems } : { problems };
}

/**
 * Parsed and validated files by name, each kept with the text it was made from: a reload parses only the files
 * whose text changed (the checks across files still run on every load). The parse is a pure function of the
 * name and the text and nothing downstream changes what it returns, so a kept result is reused as it is. Files
 * not in the last load are dropped.
 */
export class FlowFileCache {
  private readonly entries = new Map<string, { text: string; result: FileResult }>();
  /** Files parsed (not reused) by the last load: for tests and benchmarks. */
  parsedLastTime = 0;

  /** The result for these files, parsing those that are new or changed; forgets files not among them. */
  results(texts: FlowText[]): FileResult[] {
    this.parsedLastTime = 0;
    const results = texts.map(({ file, text }) => {
      const kept = this.entries.get(file);
      if (kept?.text === text) return kept.result;
      this.parsedLastTime++;
      const result = parseFile(file, text);
      this.entries.set(file, { text, result });
      return result;
    });
    const names = new Set(texts.map(({ file }) => file));
    for (const file of this.entries.keys()) if (!names.has(file)) this.entries.delete(file);
    return results;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Parses, validates and compiles flow files; with a cache, only files whose text changed are parsed again. With
 * the shop's folder, the files steps send are checked and the catalogue is read from it.
 */
export function compileFlowTexts(texts: FlowText[], cache?: FlowFileCache, shopRoot?: string): LoadResult {
  const problems: FlowError[] = [];
  const parsed: ParsedFile[] = [];
  const results = cache ? cache.results(texts) : texts.map(({ file, text }) => parseFile(file, text));
  for (const result of results) {
    problems.push(...result.problems);
    if (result.parsed) parsed.push(result.parsed);
  }
  // Checks across files would only echo a broken file (its flows look missing): report the file alone first.
  if (!texts.length || problems.length) return { problems: sortProblems(problems, texts) };
  const exists = shopRoot === undefined ? undefined : (path: string): boolean => existsSync(resolve(shopRoot, path));
  const { flows, problems: crossFile } = compileFiles(parsed, exists);
  problems.push(...crossFile);
  sortProblems(problems, texts);
  const failed = problems.some((p) => p.severity === 'error');
  if (failed) return { problems };
  // A bad catalogue row costs that product, not the flows: its problems come after, and the flows load.
  if (shopRoot !== undefined) problems.push(...withCatalog(flows, shopRoot, texts));
  return { flows, problems };
}

/** Reads the catalogue into the flows; its problems, and a warning for `:product` flows with no products. */
function withCatalog(flows: FlowSet, shopRoot: string, texts: FlowText[]): FlowError[] {
  const { catalog, problems } = loadCatalog(shopRoot, flows.settings.raw.catalog as string | undefined, flows.matching.vocabulary);
  flows.catalog = catalog;
  const productFlow = flows.triggers.find((t) => t.kind === 'product');
  if (productFlow && !catalog.products.length && !problems.length) {
    problems.push(new FlowError(texts[0]!.file, 1, 1, `flow "${productFlow.flow}" starts on :product, but there is no catalogue (${catalog.file || 'data/catalog.csv'}): no message can start it`, 'warning'));
  }
  return problems;
}

/** The folder that holds flows/ and data/: paths in flows (data/photos/x.jpg) are relative to it. */
export function shopRootOf(flowsDir: string): string {
  return dirname(resolve(flowsDir));
}

/** In file order, then by position, as an owner reads them. */
function sortProblems(problems: FlowError[], texts: FlowText[]): FlowError[] {
  const order = new Map(texts.map(({ file }, i) => [file, i]));
  return problems.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.col - b.col);
}

/** Loads a directory of flows; throws FlowLoadError (with every problem) when any file has an error. */
export function loadFlows(dir: string, cache?: FlowFileCache): { flows: FlowSet; warnings: FlowError[] } {
  let texts: FlowText[];
  try {
    texts = readFlowDir(dir);
  } catch (error) {
    throw new FlowLoadError([flowDirProblem(dir, `cannot read the flows directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)]);
  }
  if (!texts.length) throw new FlowLoadError([flowDirProblem(dir, 'no flow files (*.yaml) here')]);
  const { flows, problems } = compileFlowTexts(texts, cache, shopRootOf(dir));
  if (!flows) throw new FlowLoadError(problems);
  return { flows, warnings: problems };
}

function flowDirProblem(dir: string, message: string): FlowError {
  return new FlowError(dir, 1, 1, message);
}
