/**
 * `npm run bench [-- <name>…]`: runs the benchmarks (all, or the named ones: pipeline, scale, sweep, memory, flows, matching;
 * `profile` writes a CPU profile of the pipeline and prints its top costs), prints each one's figures as it
 * finishes and a table at the end, and writes bench/results/latest.json. Exit code 0 whatever the verdicts.
 *
 * BENCH_RUNS (default 3) sets how many times each measurement is repeated; the median is reported.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { log, removeTempDirs, RUNS } from './common.js';
import { runFlows } from './flows.js';
import { runMatching } from './matching.js';
import { runMemory } from './memory.js';
import { runPipeline } from './pipeline.js';
import { runProfile } from './profile.js';
import { runScale } from './scale.js';
import { runSearch } from './search.js';
import { machine, summaryLines, writeResults, type BenchOutcome } from './report.js';
import { runSweep } from './sweep.js';

const BENCHMARKS: Record<string, () => Promise<BenchOutcome>> = { pipeline: runPipeline, scale: runScale, sweep: runSweep, memory: runMemory, flows: runFlows, matching: runMatching, search: runSearch };
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((name) => !(name in BENCHMARKS) && name !== 'profile');
  if (unknown.length) {
    log(`unknown benchmark: ${unknown.join(', ')} (choose from ${[...Object.keys(BENCHMARKS), 'profile'].join(', ')})`);
    return 2;
  }
  if (argv.includes('profile')) {
    try {
      await runProfile();
    } finally {
      removeTempDirs();
    }
    if (argv.length === 1) return 0;
  }
  const names = argv.filter((name) => name !== 'profile');
  const chosen = names.length ? names : Object.keys(BENCHMARKS);
  const m = machine();
  log(`Setia benchmarks: ${chosen.join(', ')} — ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${(m.loadAverage as number[]).join(' ')}; ${RUNS} runs each, medians`);
  if (!(globalThis as { gc?: unknown }).gc) log('(run with --expose-gc, as `npm run bench` does, for a settled heap before each measurement)');
  const outcomes: BenchOutcome[] = [];
  for (const name of chosen) {
    log(`\n${name}`);
    try {
      outcomes.push(await BENCHMARKS[name]!());
    } finally {
      removeTempDirs();
    }
    log(`  (${outcomes.at(-1)!.seconds} s)`);
  }
  log('');
  summaryLines(outcomes).forEach((line) => log(line));
  const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : undefined;
  writeResults(RESULTS, outcomes, previous, argv);
  log(`\nwritten: bench/results/latest.json`);
  return 0; // a missed target is a verdict in the table, not a failure of the run
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  removeTempDirs();
  console.error(error);
  return 2;
});
// Open handles (a Redis socket closing, the flows watcher) must not keep the process alive.
setTimeout(() => process.exit(), 200).unref();
