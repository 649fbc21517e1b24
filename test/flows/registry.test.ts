/**
 * The flows registry's hot reload: the flows are loaded in a worker thread (real files in temporary
 * directories, a real worker running the TypeScript sources through tsx) and swapped in on the main thread.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { types } from 'node:util';
import { pino, type Logger } from 'pino';
import type { FlowSet } from '../../src/core/flow/types.js';
import { FlowFileCache, compileFlowTexts, loadFlows, readFlowDir } from '../../src/flows/load.js';
import { FlowLoadThread } from '../../src/flows/load-thread.js';
import { FlowRegistry } from '../../src/flows/registry.js';
import { EngineChat } from '../helpers/engine.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const SHOP = (greeting: string): string => `
fallback: fallback
flows:
  greeting:
    triggers: [halo]
    steps:
      - say: "${greeting}"
  fallback:
    steps:
      - say: "Maaf, belum paham"
`;

const ORDERS = `
flows:
  order:
    triggers: ["/^inv-\\\\d+$/i", cek pesanan]
    steps:
      - ask: "Nomor pesanan?"
        save: order_id
        expect: "/^TS-\\\\d{5}$/"
      - say: "Pesanan {{order_id}} diproses"
`;

function shopDir(greeting = 'Halo v1'): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'shop.yaml'), SHOP(greeting));
  writeFileSync(join(dir, 'orders.yaml'), ORDERS);
  return dir;
}

/** A logger whose lines the test can read. */
function capturedLog(): { log: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunk.toString().split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line) as { level: number; msg: string }));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

function answer(flows: FlowSet, text: string): string[] {
  return new EngineChat(flows).say(text);
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a FlowSet handed over from the loader thread', () => {
  it('is a structured clone that behaves as the original: Maps, Sets, RegExps and plain data', () => {
    const { flows } = loadFlows('flows');
    const clone = structuredClone(flows);
    expect(clone).toEqual(flows);
    const regexes = (set: FlowSet): RegExp[] => set.triggers.flatMap((t) => (t.kind === 'regex' ? [t.regex] : []));
    expect(regexes(flows).length).toBeGreaterThan(0);
    regexes(clone).forEach((regex, i) => {
      const original = regexes(flows)[i]!;
      // (Not instanceof: under Jest the test runs in a vm context whose RegExp is not the one structuredClone makes.)
      expect(types.isRegExp(regex)).toBe(true);
      expect([regex.source, regex.flags, regex.lastIndex]).toEqual([original.source, original.flags, 0]);
      // compileRegex drops g and y, so no trigger carries state from one message to the next.
      expect(regex.global || regex.sticky).toBe(false);
    });
    expect(types.isMap(clone.flows)).toBe(true);
    expect(types.isSet(clone.settings.optOutWords)).toBe(true);
    expect(types.isSet(clone.checkins.settings.window.closedDates)).toBe(true);
    for (const text of ['halo', 'menu', '1', 'barang saya rusak', 'stop', 'jam buka', 'apa kabar']) {
      expect(answer(clone, text)).toEqual(answer(flows, text));
    }
  });
});

describe('FlowRegistry hot reload', () => {
  it('reloads through the worker: the changed flow is swapped in and the engine answers with it', async () => {
    const dir = shopDir();
    const { log, lines } = capturedLog();
    const registry = FlowRegistry.load(dir, log);
    const reloaded: FlowSet[] = [];
    registry.onReload((flows) => reloaded.push(flows));
    try {
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v1']);
      writeFileSync(join(dir, 'shop.yaml'), SHOP('Halo v2'));
      expect(await registry.reload()).toBe(true);
      expect(registry.loaderRunning).toBe(true);
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v2']);
      expect(answer(registry.current(), 'INV-7')).toEqual(['Nomor pesanan?']);
      expect(reloaded).toEqual([registry.current()]);
      expect(lines.filter((l) => l.msg === 'flows reloaded')).toHaveLength(1);
      // The worker's flows are the flows the main thread would have loaded.
      expect(registry.current()).toEqual(loadFlows(dir).flows);
    } finally {
      await registry.close();
    }
  });

  it('a broken file keeps the previous flows and logs the problem at file:line:col', async () => {
    const dir = shopDir();
    const { log, lines } = capturedLog();
    const registry = FlowRegistry.load(dir, log);
    const before = registry.current();
    let calls = 0;
    registry.onReload(() => calls++);
    try {
      writeFileSync(join(dir, 'shop.yaml'), `${SHOP('Halo v2')}  broken:\n    steps:\n      - sya: typo\n`);
      expect(await registry.reload()).toBe(false);
      expect(registry.current()).toBe(before);
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v1']);
      expect(calls).toBe(0);
      const errors = lines.filter((l) => l.level >= 50).map((l) => l.msg);
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^${join(dir, 'shop.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:13:9: unknown kind "sya" \\(did you mean "say"\\?\\)`)),
        'the changed flows have errors; the bot keeps using the previous flows',
      ]);

      // A YAML syntax error in a file, while the other file changes (and is parsed again): still reported.
      writeFileSync(join(dir, 'orders.yaml'), `${ORDERS}  x: [\n`);
      const mark = lines.length;
      expect(await registry.reload()).toBe(false);
      expect(lines.slice(mark).filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([
        expect.stringMatching(/orders\.yaml:\d+:\d+: YAML syntax: /),
        expect.stringMatching(/shop\.yaml:13:9: unknown kind "sya"/),
        'the changed flows have errors; the bot keeps using the previous flows',
      ]);

      // Fixed: taken.
      writeFileSync(join(dir, 'orders.yaml'), ORDERS);
      writeFileSync(join(dir, 'shop.yaml'), SHOP('Halo v3'));
      expect(await registry.reload()).toBe(true);
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v3']);
      expect(calls).toBe(1);
    } finally {
      await registry.close();
    }
  });

  it('warnings are logged on every reload, also when their file did not change', async () => {
    const dir = shopDir();
    writeFileSync(join(dir, 'extra.yaml'), 'flows:\n  lonely:\n    steps: [end]\n');
    const { log, lines } = capturedLog();
    const registry = FlowRegistry.load(dir, log);
    try {
      for (const version of ['v2', 'v3']) {
        const mark = lines.length;
        writeFileSync(join(dir, 'shop.yaml'), SHOP(`Halo ${version}`));
        expect(await registry.reload()).toBe(true);
        expect(lines.slice(mark).filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(/extra\.yaml:2:3: warning: flow "lonely" never runs/)]);
      }
    } finally {
      await registry.close();
    }
  });

  it('reloads never overlap, and rapid successive saves end with the last version', async () => {
    const dir = shopDir();
    const { log, lines } = capturedLog();
    const registry = FlowRegistry.load(dir, log);
    try {
      // Reloads asked for while one runs: one more reload after it, shared by every call meanwhile.
      writeFileSync(join(dir, 'shop.yaml'), SHOP('Halo v2'));
      const first = registry.reload();
      writeFileSync(join(dir, 'shop.yaml'), SHOP('Halo v3'));
      const second = registry.reload();
      const third = registry.reload();
      expect(third).toBe(second);
      expect(await Promise.all([first, second])).toEqual([true, true]);
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v3']);
      expect(lines.filter((l) => l.msg === 'flows reloaded')).toHaveLength(2);

      // Through the watcher: saves closer together than a reload takes, some with errors on the way.
      registry.watch();
      for (let version = 4; version <= 12; version++) {
        const text = version === 5 || version === 9 ? `${SHOP('x')}  bad: {\n` : SHOP(`Halo v${version}`);
        writeFileSync(join(dir, 'shop.yaml'), text);
        await new Promise((resolve) => setTimeout(resolve, version % 3 === 0 ? 200 : 30));
      }
      await until('the last save is in force', () => answer(registry.current(), 'halo')[0] === 'Halo v12');
      await registry.settled();
      expect(answer(registry.current(), 'halo')).toEqual(['Halo v12']);
    } finally {
      await registry.close();
    }
  });

  it('close() stops the loader thread, and a reload after close() takes nothing', async () => {
    const dir = shopDir();
    const registry = FlowRegistry.load(dir, silentLog);
    registry.watch();
    expect(registry.loaderRunning).toBe(false); // started by the first reload, not before
    expect(await registry.reload()).toBe(true);
    expect(registry.loaderRunning).toBe(true);
    // A reload in progress when the registry closes is not taken.
    writeFileSync(join(dir, 'shop.yaml'), SHOP('Halo v2'));
    const inProgress = registry.reload();
    await registry.close();
    expect(await inProgress).toBe(false);
    expect(registry.loaderRunning).toBe(false);
    expect(await registry.reload()).toBe(false);
    expect(answer(registry.current(), 'halo')).toEqual(['Halo v1']);
    expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
  });
});

describe('FlowLoadThread', () => {
  it('loads on the main thread, with a warning, when the worker cannot start', async () => {
    const dir = shopDir();
    const { log, lines } = capturedLog();
    const loader = new FlowLoadThread(log, new URL('./no-such-worker.mjs', import.meta.url));
    try {
      const outcome = await loader.load(dir);
      expect(outcome?.kind).toBe('flows');
      expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['the flows loader thread does not start; the flows are loaded on the main thread']);
      // It does not try again: the next load goes straight to the main thread.
      expect((await loader.load(dir))?.kind).toBe('flows');
      expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
      expect(loader.running).toBe(false);
    } finally {
      await loader.close();
    }
  });
});

describe('FlowFileCache', () => {
  it('parses only the files that changed, with the same result as a full load', () => {
    const dir = tempDir();
    cpSync('flows', dir, { recursive: true });
    const cache = new FlowFileCache();
    const texts = readFlowDir(dir);
    const cold = compileFlowTexts(texts, cache);
    expect(cache.parsedLastTime).toBe(texts.length);
    expect(cache.size).toBe(texts.length);
    const changed = texts.map((t, i) => (i === 1 ? { ...t, text: `${t.text}\n# edited\n` } : t));
    const warm = compileFlowTexts(changed, cache);
    expect(cache.parsedLastTime).toBe(1);
    expect(warm.flows).toEqual(cold.flows);
    expect(warm.flows).toEqual(compileFlowTexts(changed).flows);
    expect(warm.problems.map((p) => p.message)).toEqual(compileFlowTexts(changed).problems.map((p) => p.message));
    // A file gone from the directory is forgotten.
    compileFlowTexts(changed.slice(1), cache);
    expect(cache.size).toBe(texts.length - 1);
  });

  it('reports a changed file\'s errors at their file:line:col, and a cached file\'s errors again', () => {
    const cache = new FlowFileCache();
    const good = [
      { file: 'a.yaml', text: SHOP('A') },
      { file: 'b.yaml', text: ORDERS },
    ];
    expect(compileFlowTexts(good, cache).flows).toBeDefined();
    const broken = [good[0]!, { file: 'b.yaml', text: ORDERS.replace('save: order_id', 'sav: order_id') }];
    const first = compileFlowTexts(broken, cache).problems.map((p) => p.message);
    expect(first).toEqual([expect.stringMatching(/^b\.yaml:7:9: unknown key "sav" \(did you mean "save"\?\)/)]);
    // a.yaml changes, b.yaml is served from the cache: its error is still there, at the same place.
    const again = compileFlowTexts([{ file: 'a.yaml', text: SHOP('A2') }, broken[1]!], cache);
    expect(cache.parsedLastTime).toBe(1);
    expect(again.flows).toBeUndefined();
    expect(again.problems.map((p) => p.message)).toEqual(first);
  });
});
