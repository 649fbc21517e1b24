/**
 * A shop with many customers and real check-in queues on the real Redis (a unique prefix per rig, obliterated
 * on cleanup), sending through the simulator transport and a fake clock.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FlowSet } from '../../src/core/flow/types.js';
import { CheckinPlanner } from '../../src/checkins/planner.js';
import { CheckinQueues, type CheckinQueueOptions } from '../../src/checkins/queues.js';
import { CheckinSender } from '../../src/checkins/sender.js';
import { dueCheckins } from '../../src/checkins/sweep.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { Store } from '../../src/store/store.js';
import { SimulatorTransport, type SentMessage } from '../../src/transport/simulator.js';
import { flowsFrom, MONDAY_10AM } from './engine.js';
import { silentLog, tempDir } from './temp.js';

export const DAY = 86_400_000;
export const REDIS = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** Check-ins any time of day, one rule: loyal customers quiet for 30 days. */
export const CHECKIN_FLOWS = `
settings:
  checkins: { send_window: "00:00-24:00", days: [daily], max_per_minute: 60, min_gap: 1d }
checkins:
  monthly: { who: { tag: loyal }, every: 30d, flow: hello }
fallback: hello
flows:
  hello: { steps: [ { say: "Halo {{customer.name}}, apa kabar?" } ] }
`;

export class CheckinRig {
  readonly store: Store;
  readonly transport: SimulatorTransport;
  readonly pipeline: Pipeline;
  readonly planner: CheckinPlanner;
  readonly sender: CheckinSender;
  readonly sent: SentMessage[] = [];
  readonly prefix: string;
  readonly flows: FlowSet;
  now = MONDAY_10AM;
  private readonly opened: CheckinQueues[] = [];

  constructor(options: { flows?: string; dbPath?: string; prefix?: string; transport?: SimulatorTransport } = {}) {
    this.flows = flowsFrom(options.flows ?? CHECKIN_FLOWS);
    this.store = Store.open(options.dbPath ?? join(tempDir(), 'setia.db'));
    this.prefix = options.prefix ?? `setia-test-${randomUUID()}`;
    this.transport = options.transport ?? new SimulatorTransport();
    const clock = (): number => this.now;
    this.planner = new CheckinPlanner(this.store, () => this.flows);
    this.pipeline = new Pipeline({ store: this.store, transport: this.transport, flows: () => this.flows, clock, random: () => 0, log: silentLog, afterChange: (id, now, known) => void this.planner.replan(id, now, known) });
    this.sender = new CheckinSender({ store: this.store, pipeline: this.pipeline, planner: this.planner, flows: () => this.flows, clock, random: () => 0, log: silentLog });
    this.transport.onSend((m) => this.sent.push(m));
    this.transport.onInbound((m) => this.pipeline.handleInbound(m));
  }

  /** Loyal customers who last wrote `quietFor` ago; returns their chat ids. */
  addCustomers(count: number, quietFor: number, firstPhone = 6281100000000): string[] {
    return this.store.transaction(() =>
      Array.from({ length: count }, (_, i) => {
        const chatId = `${firstPhone + i}@s.whatsapp.net`;
        this.store.customers.create(chatId, this.now - quietFor, { name: `Pelanggan ${i}`, tags: ['loyal'] });
        this.store.customers.touchContact(chatId, this.now - quietFor, { inbound: true });
        this.planner.replan(this.store.customers.get(chatId)!.rowId, this.now);
        return chatId;
      }),
    );
  }

  queues(options: Partial<CheckinQueueOptions> = {}): CheckinQueues {
    const queues = new CheckinQueues({
      connection: REDIS,
      prefix: this.prefix,
      log: silentLog,
      due: (limit) => dueCheckins(this.store, this.planner, this.now, limit),
      send: (job) => this.sender.send(job),
      maxPerWindow: 1_000,
      ...options,
    });
    this.opened.push(queues);
    return queues;
  }

  /** How many messages each customer received. */
  sentPerChat(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.sent) counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
    return counts;
  }

  async cleanup(): Promise<void> {
    for (const queues of this.opened) {
      await queues.sendQueue.obliterate({ force: true }).catch(() => undefined);
      await queues.sweepQueue.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
    }
    this.store.close();
  }
}

/** Polls until `check` holds; fails with `what` after `timeoutMs` (a deadline for progress, not a speed assertion). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
