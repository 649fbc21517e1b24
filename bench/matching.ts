/**
 * Benchmark 5, matching: the cost of reading one customer message as customers write (src/core/match) against
 * the 500-flow set's triggers (findTrigger) and against a 2,000-product catalogue (findProducts), each as a ratio
 * to the exact matching Setia did before (kept below as the baseline: fold the message, then look for every
 * phrase as whole words in it, one phrase after another). Targets: at most 3x the baseline, under 50 µs a message.
 *
 * Messages: triggers as written, informal (stretched, abbreviated, suffixed, mistyped) and ones matching nothing.
 * `npm run bench -- matching` runs only this one.
 */
import { findTrigger } from '../src/core/flow/triggers.js';
import type { FlowSet, Inbound, Trigger } from '../src/core/flow/types.js';
import { findProducts, indexProductNames } from '../src/core/catalog/match.js';
import type { Catalog, Product } from '../src/core/catalog/types.js';
import type { Vocabulary } from '../src/core/match/types.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { canonical } from '../src/core/text/normalize.js';
import { compileFlowTexts } from '../src/flows/load.js';
import { shopVocabulary } from '../src/flows/matching.js';
import { collectGarbage, log, RUNS } from './common.js';
import { FLOW_COUNT } from './flows.js';
import { generateFlows } from './flowgen.js';
import { figureLines, median, type BenchOutcome, type Figure } from './report.js';

const PRODUCT_COUNT = 2_000;
const MESSAGES = 2_000;
/** Each run matches every message this many times (a run lasts long enough to time without a fine clock). */
const ROUNDS = 10;
const TARGET_RATIO = 3;
const TARGET_MICROSECONDS = 50;

const KINDS = ['kaos', 'kemeja', 'daster', 'celana', 'rok', 'jaket', 'tas', 'sepatu', 'sandal', 'topi'];
const STYLES = ['batik', 'polos', 'motif', 'katun', 'rayon', 'jeans', 'kulit', 'rajut', 'linen', 'sutra'];
const COLOURS = ['merah', 'biru', 'hijau', 'kuning', 'hitam', 'putih', 'coklat', 'ungu', 'abu', 'krem', 'navy', 'maroon', 'pink', 'oranye', 'salem', 'mustard', 'tosca', 'lilac', 'olive', 'emas'];

/** 2,000 distinct names: kind, style, colour ("kaos batik merah"). */
function productNames(): string[] {
  return KINDS.flatMap((kind) => STYLES.flatMap((style) => COLOURS.map((colour) => `${kind} ${style} ${colour}`))).slice(0, PRODUCT_COUNT);
}

/** What customers send to a shop with these flows and products: exact, informal, and matching nothing. */
function messages(random: () => number): string[] {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const n = (): number => Math.floor(random() * FLOW_COUNT);
  const makers = [
    () => `kata${n()}`,
    () => `mau tanya produk ${n()} dong`,
    () => `tanyaa produknya ${n()} kak`,
    () => `tnya prodk ${n()}`,
    () => `brp harga ${pick(KINDS)} ${pick(STYLES)} ${pick(COLOURS)}nya kak?`,
    () => `ada ${pick(KINDS)} yg ${pick(STYLES)} ${pick(COLOURS)}?`,
    () => `${pick(KINDS)}nya ready gak`,
    () => 'halo kak, mau nanya dong, bisa kirim hari ini? makasiiih',
    () => 'Selamat pagi, pesanan saya kok belum sampai ya? sudah 3 hari',
    () => 'ok',
  ];
  return Array.from({ length: MESSAGES }, () => pick(makers)());
}

/** Setia's exact matching before loose matching: whole words of the folded message, every phrase in turn. */
function exactLength(phrase: string, message: string): number {
  return phrase && ` ${message} `.includes(` ${phrase} `) ? phrase.length : -1;
}

function exactTrigger(triggers: Trigger[], inbound: Inbound): Trigger | undefined {
  const message = canonical(inbound.text);
  let best: Trigger | undefined;
  let bestLength = -1;
  for (const trigger of triggers) {
    let length = -1;
    if (trigger.kind === 'phrase') length = exactLength(trigger.phrase, message);
    else if (trigger.kind === 'regex') length = trigger.regex.exec(inbound.text)?.[0].length ?? -1;
    if (length > bestLength) {
      best = trigger;
      bestLength = length;
    }
  }
  return best;
}

function exactProduct(names: string[], text: string): string | undefined {
  const message = canonical(text);
  let best: string | undefined;
  let bestLength = -1;
  for (const name of names) {
    const length = exactLength(name, message);
    if (length > bestLength) {
      best = name;
      bestLength = length;
    }
  }
  return best;
}

/** Microseconds a message, matching every message ROUNDS times. */
function perMessage(texts: string[], match: (text: string) => unknown): number {
  collectGarbage();
  const start = performance.now();
  for (let round = 0; round < ROUNDS; round++) for (const text of texts) match(text);
  return ((performance.now() - start) * 1000) / (ROUNDS * texts.length);
}

/** Runs the baseline and the loose matching alternately, RUNS times; medians and each run's ratio. */
function compare(name: string, texts: string[], exact: (text: string) => unknown, loose: (text: string) => unknown): Figure[] {
  perMessage(texts.slice(0, 200), exact);
  perMessage(texts.slice(0, 200), loose);
  const exacts: number[] = [];
  const looses: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    exacts.push(perMessage(texts, exact));
    looses.push(perMessage(texts, loose));
    log(`  ${name}, run ${run + 1}/${RUNS}: loose ${looses.at(-1)!.toFixed(2)} µs, exact ${exacts.at(-1)!.toFixed(2)} µs a message`);
  }
  const ratios = looses.map((value, i) => value / exacts[i]!);
  const value = median(looses);
  const ratio = median(ratios);
  return [
    { bench: 'matching', name: `${name}: loose vs exact`, value, unit: 'µs', baseline: median(exacts), ratio, target: `ratio <= ${TARGET_RATIO}`, pass: ratio <= TARGET_RATIO, runs: looses, ratios },
    { bench: 'matching', name: `${name}: a message`, value, unit: 'µs', target: `< ${TARGET_MICROSECONDS} µs`, pass: value < TARGET_MICROSECONDS },
  ];
}

/** The catalogue as the bot holds it: every name and its first words indexed (src/core/catalog/match.ts). */
function catalogOf(vocabulary: Vocabulary, names: string[]): Catalog {
  const products = names.map((name, i): Product => ({ name, price: 10_000 + i, aliases: [], category: null, stock: null, photo: null, description: null, extra: {} }));
  return { file: 'bench.csv', products, names: indexProductNames(vocabulary, products) };
}

function flowSet(): FlowSet {
  const result = compileFlowTexts(generateFlows(FLOW_COUNT));
  if (!result.flows) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.flows;
}

export async function runMatching(): Promise<BenchOutcome> {
  const began = performance.now();
  const flows = flowSet();
  const texts = messages(seededRandom(12));
  const inbound = (text: string): Inbound => ({ kind: 'text', text });
  const names = productNames();
  const vocabulary = shopVocabulary();
  const catalog = catalogOf(vocabulary, names);
  const matched = texts.filter((text) => findTrigger(flows, inbound(text))).length;
  const named = texts.filter((text) => findProducts(catalog, vocabulary, text)).length;
  log(`  ${texts.length} messages; ${FLOW_COUNT} flows (${flows.triggers.length} triggers) start a flow for ${matched}; ${names.length} products, one is named in ${named}`);

  const figures = [
    ...compare(`${FLOW_COUNT} flows' triggers`, texts, (text) => exactTrigger(flows.triggers, inbound(text)), (text) => findTrigger(flows, inbound(text))),
    ...compare(`${PRODUCT_COUNT} products`, texts, (text) => exactProduct(names, text), (text) => findProducts(catalog, vocabulary, text)),
  ];
  figureLines(figures).forEach((line) => log(`  ${line}`));
  return {
    bench: 'matching',
    figures,
    details: { flows: FLOW_COUNT, triggers: flows.triggers.length, products: names.length, messages: texts.length, rounds: ROUNDS, matchedTriggers: matched, namedProducts: named },
    seconds: Math.round((performance.now() - began) / 100) / 10,
  };
}
