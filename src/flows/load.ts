/** Loading the flow files of a directory: parse, validate, merge. Problems come back as `file:line:col` lines. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

export function compileFlowTexts(texts: FlowText[]): LoadResult {
  const problems: FlowError[] = [];
  const parsed: ParsedFile[] = [];
  for (const { file, text } of texts) {
    const source = new YamlSource(file, text);
    if (source.errors.length) {
      problems.push(...source.errors);
      continue;
    }
    const { data, problems: invalid } = validate(FlowFile, source);
    problems.push(...invalid);
    if (data) parsed.push({ source, data });
  }
  // Checks across files would only echo a broken file (its flows look missing): report the file alone first.
  if (!texts.length || problems.length) return { problems: sortProblems(problems, texts) };
  const { flows, problems: crossFile } = compileFiles(parsed);
  problems.push(...crossFile);
  sortProblems(problems, texts);
  const failed = problems.some((p) => p.severity === 'error');
  return failed ? { problems } : { flows, problems };
}

/** In file order, then by position, as an owner reads them. */
function sortProblems(problems: FlowError[], texts: FlowText[]): FlowError[] {
  const order = new Map(texts.map(({ file }, i) => [file, i]));
  return problems.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.col - b.col);
}

/** Loads a directory of flows; throws FlowLoadError (with every problem) when any file has an error. */
export function loadFlows(dir: string): { flows: FlowSet; warnings: FlowError[] } {
  let texts: FlowText[];
  try {
    texts = readFlowDir(dir);
  } catch (error) {
    throw new FlowLoadError([flowDirProblem(dir, `cannot read the flows directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)]);
  }
  if (!texts.length) throw new FlowLoadError([flowDirProblem(dir, 'no flow files (*.yaml) here')]);
  const { flows, problems } = compileFlowTexts(texts);
  if (!flows) throw new FlowLoadError(problems);
  return { flows, warnings: problems };
}

function flowDirProblem(dir: string, message: string): FlowError {
  return new FlowError(dir, 1, 1, message);
}
