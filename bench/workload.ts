/**
 * The shop the benchmarks run: the production store, pipeline and check-in planner wired to the simulator
 * transport, as `src/simulator/local-shop.ts` and `src/app.ts` wire them (the planner re-plans the customer in
 * every change), and the customers' messages.
 */
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { CheckinPlanner } from '../src/checkins/planner.js';
import type { FlowSet } from '../src/core/flow/types.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { CustomerInTurn } from '../src/store/customers.js';
import { Store } from '../src/store/store.js';
import { SimulatorTransport } from '../src/transport/simulator.js';
import type { InboundMessage } from '../src/transport/transport.js';
import { seededRandom } from '../src/core/seeded-random.js';

/** The flows the shop ships with. */
export const SHIPPED_FLOWS = fileURLToPath(new URL('../flows', import.meta.url));

/**
 * What every simulated customer writes, in order: a greeting, the menus, the promo, opening hours, thanks,
 * something the bot does not understand, the menu again. It walks the shipped flows without escalating (an
 * escalated conversation is answered by staff, which would leave the bot idle), and every message gets at
 * least one reply.
 */
export const SCRIPT = ['halo', '1', '1', '2', 'promo', 'jam buka', 'makasih', 'apa kabar kak', 'menu', '3'];

/** Monday 23 November 2026, 10:00 in Jakarta: the shop is open and check-ins may go out. */
export const MONDAY_10AM_WIB = Date.UTC(2026, 10, 23, 3, 0, 0);

/** A clock that starts at `start` and moves with real time, so runs do not depend on the hour they run at. */
export function benchClock(start: number = MONDAY_10AM_WIB): () => number {
  const began = Date.now();
  return () => start + (Date.now() - began);
}

export function chatIdOf(customer: number): string {
  return `62812${String(customer).padStart(8, '0')}@s.whatsapp.net`;
}

/**
 * `customers` customers each sending the script, round by round (everyone's first message, then everyone's
 * second, …), so that each customer's messages are `customers` apart as in a busy shop.
 */
export function messages(customers: number, runTag: string, script: string[] = SCRIPT): InboundMessage[] {
  const all: InboundMessage[] = [];
  for (let round = 0; round < script.length; round++) {
    for (let c = 0; c < customers; c++) {
      all.push({ id: `BENCH${runTag}R${round}C${c}`, chatId: chatIdOf(c), phone: chatIdOf(c).slice(0, -15), pushName: `Pelanggan ${c}`, kind: 'text', text: script[round]!, at: 0 });
    }
  }
  return all;
}

export interface BenchShop {
  store: Store;
  transport: SimulatorTransport;
  pipeline: Pipeline;
  planner: CheckinPlanner;
  sent: () => number;
  close(): void;
}

export interface ShopOptions {
  flows: () => FlowSet;
  log: Logger;
  clock?: () => number;
  random?: () => number;
}

export function openShop(dbPath: string, options: ShopOptions): BenchShop {
  const { flows, log } = options;
  const store = Store.open(dbPath);
  store.checkpointInBackground(log); // as src/app.ts does
  const clock = options.clock ?? benchClock();
  const transport = new SimulatorTransport(clock());
  const planner = new CheckinPlanner(store, flows);
  const afterChange = (rowId: number, at: number, known?: CustomerInTurn): void => void planner.replan(rowId, at, known);
  const pipeline = new Pipeline({ store, transport, flows, clock, random: options.random ?? seededRandom(42), log, afterChange });
  transport.onInbound((message) => pipeline.handleInbound(message));
  let sent = 0;
  transport.onSend(() => sent++);
  return {
    store,
    transport,
    pipeline,
    planner,
    sent: () => sent,
    close() {
      pipeline.stop();
      store.close();
    },
  };
}
