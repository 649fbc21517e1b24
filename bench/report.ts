/**
 * What every benchmark reports, the table printed at the end and `bench/results/latest.json`.
 * A figure is measured against a baseline run in the same process (these machines are shared and noisy);
 * each figure is the median of several runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

export interface Figure {
  /** The benchmark: pipeline, sweep, memory, flows, matching. */
  bench: string;
  /** What is measured, e.g. "throughput". */
  name: string;
  value: number;
  unit: string;
  /** The baseline run in the same process, when there is one (same unit as value). */
  baseline?: number;
  /** value / baseline (the figure the target is usually set on). */
  ratio?: number;
  /** The target in words, e.g. "ratio >= 0.5". */
  target?: string;
  /** Undefined when the figure has no target (shown for information). */
  pass?: boolean;
  /** Every run's value (and ratio), so the spread is visible in the JSON. */
  runs?: number[];
  ratios?: number[];
  note?: string;
}

export interface BenchOutcome {
  bench: string;
  figures: Figure[];
  /** Facts about the run worth keeping (sizes, settings). */
  details: Record<string, unknown>;
  seconds: number;
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0..1) of already sorted values, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** The commit measured, and whether src/ or flows/ differed from it (other work in the tree). */
function source(): Record<string, unknown> {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), changedFromCommit: git('status', '--porcelain', '--', 'src', 'flows').split('\n').filter(Boolean).length };
  } catch {
    return {};
  }
}

export function machine(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryMB: Math.round(totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    ...source(),
  };
}

function format(value: number | undefined, unit = ''): string {
  if (value === undefined || Number.isNaN(value)) return '';
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

export function verdict(pass: boolean | undefined): string {
  return pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL';
}

/** One benchmark's figures as lines of text (printed as soon as it finishes). */
export function figureLines(figures: Figure[]): string[] {
  return table(figures.map((f) => [f.name, format(f.value, f.unit), f.baseline === undefined ? '' : format(f.baseline, f.unit), f.ratio === undefined ? '' : format(f.ratio), f.target ?? '', verdict(f.pass)]), ['figure', 'value', 'baseline', 'ratio', 'target', 'result']);
}

export function summaryLines(outcomes: BenchOutcome[]): string[] {
  const rows = outcomes.flatMap((o) => o.figures.map((f) => [f.bench, f.name, format(f.value, f.unit), f.baseline === undefined ? '' : format(f.baseline, f.unit), f.ratio === undefined ? '' : format(f.ratio), f.target ?? '', verdict(f.pass)]));
  return table(rows, ['bench', 'figure', 'value', 'baseline', 'ratio', 'target', 'result']);
}

function table(rows: string[][], header: string[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Writes the results file; figures of benchmarks not run this time are kept from the previous file. */
export function writeResults(path: string, outcomes: BenchOutcome[], previous: Record<string, unknown> | undefined, argv: string[]): void {
  const kept = (previous?.benchmarks as Record<string, unknown> | undefined) ?? {};
  const facts = machine();
  const benchmarks = { ...kept, ...Object.fromEntries(outcomes.map((o) => [o.bench, { ...o, machine: facts }])) };
  const body = { machine: facts, command: ['npm run bench --', ...argv].join(' ').trim(), benchmarks };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
