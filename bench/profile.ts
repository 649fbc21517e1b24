/**
 * `npm run bench -- profile`: a CPU profile of the pipeline benchmark's throughput run (the real inbound path,
 * shipped flows, 20,000 messages), taken with the inspector around the measured part only. Writes
 * bench/results/pipeline.cpuprofile (open it in Chrome DevTools → Performance, or VS Code) and
 * bench/results/pipeline-profile.txt, and prints the top costs: by function (self time), by function including
 * what it calls, and by module.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowRegistry } from '../src/flows/registry.js';
import { log, silentLog, tempDir } from './common.js';
import { CUSTOMERS, realPipeline, throughput } from './pipeline.js';
import { benchClock, messages, SHIPPED_FLOWS } from './workload.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const path = url.replace(/^file:\/\//, '').replace(ROOT, '');
  return path.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, '$1');
}

function label(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  return `${functionName || '(anonymous)'}${url ? ` ${where(url)}` : ''}`;
}

/** Self time per function, time including callees per function, self time per module; in ms. */
export function summarise(profile: Profile): { total: number; self: Map<string, number>; inclusive: Map<string, number>; modules: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  for (const [id, t] of time) {
    total += t;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + t);
    const module = node.callFrame.url ? where(node.callFrame.url) : node.callFrame.functionName || '(native)';
    modules.set(module, (modules.get(module) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + t);
    }
  }
  return { total, self, inclusive, modules };
}

function top(map: Map<string, number>, total: number, count: number, filter: (name: string) => boolean = () => true): string[] {
  return [...map]
    .filter(([name]) => filter(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, t]) => `${t.toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name}`);
}

export async function runProfile(): Promise<void> {
  const registry = FlowRegistry.load(SHIPPED_FLOWS, silentLog);
  const dir = tempDir();
  const warm = realPipeline(join(dir, 'warm.db'), registry);
  await throughput(warm, messages(200, 'PW'), benchClock());
  warm.close();

  const shop = realPipeline(join(dir, 'profile.db'), registry);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const rate = await throughput(shop, messages(CUSTOMERS, 'PR'), benchClock());
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  shop.close();

  writeFileSync(join(RESULTS, 'pipeline.cpuprofile'), JSON.stringify(profile));
  const { total, self, inclusive, modules } = summarise(profile);
  const lines = [
    `CPU profile of the pipeline throughput run: ${CUSTOMERS * 10} messages at ${Math.round(rate)} msg/s (slowed by the profiler), ${total.toFixed(0)} ms sampled`,
    '',
    'By module (self time):',
    ...top(modules, total, 12),
    '',
    'By function, self time:',
    ...top(self, total, 20),
    '',
    'By function in src/, including what it calls:',
    ...top(inclusive, total, 30, (name) => / src\//.test(name)),
  ];
  writeFileSync(join(RESULTS, 'pipeline-profile.txt'), `${lines.join('\n')}\n`);
  lines.forEach((line) => log(line));
  log('\nwritten: bench/results/pipeline.cpuprofile, bench/results/pipeline-profile.txt');
}
