import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { StaffDesk } from '../../src/staff/desk.js';
import { EscalationTimers, timerJobId, type EscalationActions, type ReminderKind, type TimerKind } from '../../src/staff/sla.js';
import { SimulatorTransport } from '../../src/transport/simulator.js';
import { CheckinRig, eventually, REDIS } from '../helpers/checkin-rig.js';
import { removeTempDirs, silentLog } from '../helpers/temp.js';

jest.setTimeout(60_000);
afterAll(removeTempDirs);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string): number => Date.parse(iso);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Default escalation timing (remind 5m, alert 30m, release 12h); always open unless `hours` is given. */
function slaFlows(hours = ''): string {
  return `
settings:
  shop_name: Toko Sari
  ${hours ? `hours: ${hours}` : ''}
fallback: hello
flows:
  hello: { steps: [ { say: "Halo" } ] }
`;
}

/** One shop on a real SQLite store and the real Redis (its own prefix), with actions that record their calls. */
class SlaRig {
  readonly shop: CheckinRig;
  readonly desk: StaffDesk;
  readonly reminders: Array<{ escalationId: number; kind: ReminderKind; now: number; inTransaction: boolean }> = [];
  readonly releases: Array<{ customerId: number; why: string }> = [];
  flushes = 0;
  private readonly opened: EscalationTimers[] = [];

  constructor(hours = '', transport?: SimulatorTransport) {
    this.shop = new CheckinRig({ flows: slaFlows(hours), transport });
    this.desk = new StaffDesk(this.shop.store, this.shop.pipeline, () => this.shop.now);
  }

  get store() {
    return this.shop.store;
  }

  set now(now: number) {
    this.shop.now = now;
  }

  /** A new timers group, as a bot (re)starting would make it. */
  timers(): EscalationTimers {
    const actions: EscalationActions = {
      queueReminder: (escalationId, kind, now) => void this.reminders.push({ escalationId, kind, now, inTransaction: this.store.db.inTransaction }),
      flush: async () => void this.flushes++,
      autoRelease: (quiet, why) => (this.releases.push({ customerId: quiet.customerId, why }), this.desk.autoRelease(quiet, why)),
    };
    const timers = new EscalationTimers({ connection: REDIS, prefix: this.shop.prefix, log: silentLog, store: this.store, flows: () => this.shop.flows, clock: () => this.shop.now, actions });
    this.opened.push(timers);
    return timers;
  }

  /** A customer whose conversation was handed to staff at `when`. */
  escalate(when: number): { customer: number; escalation: number } {
    this.store.customers.create('6281234567890@s.whatsapp.net', when, { name: 'Budi' });
    const customer = this.store.customers.get('6281234567890@s.whatsapp.net')!.rowId;
    return { customer, escalation: this.store.escalations.open(customer, 'wants a person', when) };
  }

  kinds(): ReminderKind[] {
    return this.reminders.map((r) => r.kind);
  }

  /** How often the escalation's history says this happened. */
  events(escalation: number, kind: string): number {
    return this.store.db.prepare<[number, string], { n: number }>('SELECT count(*) AS n FROM escalation_events WHERE escalation_id = ? AND kind = ?').get(escalation, kind)!.n;
  }

  async cleanup(): Promise<void> {
    for (const timers of this.opened) {
      await timers.queue.obliterate({ force: true }).catch(() => undefined);
      await timers.close();
    }
    this.store.close();
  }
}

/** A transport whose sends can be held, keeping the chat's turn busy as a slow "typing…" would. */
class HeldTransport extends SimulatorTransport {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  sending = 0;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  letGo(): void {
    this.open();
  }

  override async send(...args: Parameters<SimulatorTransport['send']>): Promise<void> {
    this.sending++;
    await this.gate;
    return super.send(...args);
  }
}

/** The delayed job's wait is over (what BullMQ does when its delay runs out). */
async function elapse(timers: EscalationTimers, escalation: number, kind: TimerKind): Promise<void> {
  await (await timers.queue.getJob(timerJobId(escalation, kind)))!.promote();
}

/** Whether the job, re-delayed by itself, now waits about `ms` (a millisecond may pass while BullMQ moves it). */
async function waitsAbout(timers: EscalationTimers, escalation: number, kind: TimerKind, ms: number): Promise<boolean> {
  const delay = await delayOf(timers, escalation, kind);
  return delay !== undefined && Math.abs(delay - ms) < 1_000;
}

async function delayOf(timers: EscalationTimers, escalation: number, kind: TimerKind): Promise<number | undefined> {
  return (await timers.queue.getJob(timerJobId(escalation, kind)))?.delay;
}

const T0 = at('2026-11-23T10:00:00+07:00'); // a Monday

let rig: SlaRig;
afterEach(() => rig?.cleanup());

/** An escalation staff answered at T0, and the clock 100 ms before its release is due (12 h of silence). */
async function answeredNearRelease(): Promise<{ customer: number; escalation: number; timers: EscalationTimers }> {
  const { customer, escalation } = rig.escalate(T0);
  await rig.desk.reply(customer, 'Sari', 'Halo kak, saya cek dulu ya');
  const timers = rig.timers();
  rig.now = T0 + 12 * HOUR - 100;
  await timers.schedule(customer);
  return { customer, escalation, timers };
}

describe('escalation reminders (real Redis, fake clock)', () => {
  it('an unanswered escalation is reminded once after 5 minutes, then alerted once after 30', async () => {
    rig = new SlaRig();
    const { customer, escalation } = rig.escalate(T0);
    const timers = rig.timers();
    rig.now = T0 + 5 * MINUTE - 100; // the reminder is 100 ms away
    await timers.schedule(customer);
    rig.now = T0 + 5 * MINUTE;
    await eventually('staff were reminded', () => rig.reminders.length === 1);
    expect(rig.reminders[0]).toEqual({ escalationId: escalation, kind: 'remind', now: T0 + 5 * MINUTE, inTransaction: true });
    expect(rig.flushes).toBe(1);
    expect(await delayOf(timers, escalation, 'alert')).toBe(25 * MINUTE + 100); // the alert waits on

    rig.now = T0 + 30 * MINUTE;
    await timers.schedule(customer); // any change to the customer: nothing is added twice
    await elapse(timers, escalation, 'alert');
    await eventually('the owner was alerted', () => rig.reminders.length === 2);
    await sleep(300);
    expect(rig.kinds()).toEqual(['remind', 'alert']);
    expect([rig.events(escalation, 'reminded'), rig.events(escalation, 'alerted'), rig.flushes]).toEqual([1, 1, 2]);
  });

  it('an escalation answered before the reminder gets none, and its reminder jobs are removed', async () => {
    rig = new SlaRig();
    const { customer, escalation } = rig.escalate(T0);
    const timers = rig.timers();
    await timers.schedule(customer);
    expect(await delayOf(timers, escalation, 'remind')).toBe(5 * MINUTE);

    rig.now = T0 + 2 * MINUTE;
    await rig.desk.reply(customer, 'Sari', 'Halo kak, saya bantu ya');
    await timers.schedule(customer);
    expect(await timers.queue.getJob(timerJobId(escalation, 'remind'))).toBeUndefined();
    expect(await timers.queue.getJob(timerJobId(escalation, 'alert'))).toBeUndefined();
    expect(await delayOf(timers, escalation, 'release')).toBe(12 * HOUR); // now it counts staff silence instead

    // A reminder job that escaped removal (it was running) finds the escalation answered.
    rig.now = T0 + HOUR;
    await timers.queue.add('remind', { escalationId: escalation, kind: 'remind' }, { jobId: 'escaped-remind', removeOnComplete: true });
    await eventually('the escaped job ran', async () => !(await timers.queue.getJob('escaped-remind')));
    expect(rig.reminders).toEqual([]);
  });

  it('a reminder job delivered twice (at once, and again later) reminds once', async () => {
    rig = new SlaRig();
    const { customer, escalation } = rig.escalate(T0);
    const timers = rig.timers();
    rig.now = T0 + 5 * MINUTE;
    const again = { removeOnComplete: true };
    await timers.queue.add('remind', { escalationId: escalation, kind: 'remind' }, { jobId: 'twin-1', ...again });
    await timers.queue.add('remind', { escalationId: escalation, kind: 'remind' }, { jobId: 'twin-2', ...again });
    await timers.schedule(customer); // and the job of its own, due now
    await eventually('staff were reminded', () => rig.reminders.length === 1);
    await timers.queue.add('remind', { escalationId: escalation, kind: 'remind' }, { jobId: 'twin-3', ...again });
    await eventually('every copy ran', async () => (await timers.queue.getJobCountByTypes('waiting', 'active', 'delayed')) === 1); // the alert's
    expect(rig.kinds()).toEqual(['remind']);
    expect(rig.events(escalation, 'reminded')).toBe(1);
  });

  it('a reminder pending when the bot stops fires after it starts again', async () => {
    rig = new SlaRig();
    const { customer, escalation } = rig.escalate(T0);
    const before = rig.timers();
    rig.now = T0 + 5 * MINUTE - 1_000;
    await before.schedule(customer);
    await before.close(); // stopped a second before the reminder
    await sleep(1_500);
    expect(rig.reminders).toEqual([]);

    rig.now = T0 + 6 * MINUTE;
    const after = rig.timers();
    await after.start();
    await eventually('staff were reminded after the restart', () => rig.reminders.length === 1);
    expect(rig.reminders[0]!.escalationId).toBe(escalation);
  });

  it('after Redis lost its data, start rebuilds the timers from SQLite', async () => {
    rig = new SlaRig();
    const { customer, escalation } = rig.escalate(T0);
    const timers = rig.timers();
    await timers.schedule(customer);
    await timers.queue.obliterate({ force: true }); // Redis came back empty
    expect(await timers.queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0);

    rig.now = T0 + 10 * MINUTE;
    await timers.start(); // what the job service does when Redis is back
    await eventually('staff were reminded', () => rig.reminders.length === 1);
    expect(rig.reminders[0]!.escalationId).toBe(escalation);
    expect(await delayOf(timers, escalation, 'alert')).toBe(20 * MINUTE);
  });

  it('a claimed conversation returns to the bot after 12 hours of staff silence, with a note in the transcript', async () => {
    rig = new SlaRig();
    const { customer, escalation } = await answeredNearRelease();
    rig.now = T0 + 12 * HOUR;
    await eventually('the conversation was released', () => rig.releases.length === 1);
    const why = 'Returned to the bot: no staff message for 12h';
    expect(rig.releases).toEqual([{ customerId: customer, why }]);
    expect(rig.store.escalations.byId(escalation)).toMatchObject({ status: 'released', releasedBy: 'auto-release' });
    expect(rig.store.notes.list(customer).map((n) => n.text)).toEqual([why]);
    expect(rig.events(escalation, 'auto_released')).toBe(1);
  });

  it('a later staff message pushes the release back by another 12 hours', async () => {
    rig = new SlaRig();
    const { customer, escalation, timers } = await answeredNearRelease();
    await rig.desk.reply(customer, 'Sari', 'Stoknya masih ada kak'); // just in time
    await timers.schedule(customer);

    rig.now = T0 + 12 * HOUR + 1_000;
    const later = 24 * HOUR - 100 - (12 * HOUR + 1_000); // from now until 12 h after the second message
    await eventually('the timer fired and waits on', () => waitsAbout(timers, escalation, 'release', later));
    expect(rig.releases).toEqual([]);
    expect(rig.store.escalations.byId(escalation)!.status).toBe('claimed');

    rig.now = T0 + 24 * HOUR;
    await elapse(timers, escalation, 'release');
    await eventually('the conversation was released', () => rig.releases.length === 1);
  });

  it('a staff reply waiting for the chat when the auto-release fires reaches the customer and keeps the conversation with staff', async () => {
    const transport = new HeldTransport();
    rig = new SlaRig('', transport);
    const { customer, escalation } = rig.escalate(T0);
    rig.store.conversations.save(customer, { waiting: null, escalated: true, pausedUntil: null, lastActivityAt: T0 }, T0); // the bot keeps quiet
    transport.hold();
    const first = rig.desk.reply(customer, 'Sari', 'Halo kak, saya cek dulu ya'); // claims at T0; still "typing" 12 hours on
    await eventually('the first reply is being sent', () => transport.sending === 1);
    rig.now = T0 + 12 * HOUR;
    const second = rig.desk.reply(customer, 'Sari', 'Sudah saya cek kak, stoknya ada'); // waits for the chat's turn
    const timers = rig.timers();
    await timers.schedule(customer); // the release is due by the last staff message SQLite knows (T0)
    await eventually('the auto-release waits for the chat', () => rig.releases.length === 1);
    transport.letGo();
    await Promise.all([first, second, rig.shop.pipeline.idle()]);

    expect(rig.store.escalations.byId(escalation)).toMatchObject({ status: 'claimed', claimedBy: 'Sari', lastStaffAt: T0 + 12 * HOUR });
    expect(rig.events(escalation, 'auto_released')).toBe(0);
    await eventually('the release waits 12 hours from the second reply', () => waitsAbout(timers, escalation, 'release', 12 * HOUR));
    await rig.shop.transport.deliver({ id: 'WA-OKE', chatId: '6281234567890@s.whatsapp.net', kind: 'text', text: 'oke kak, saya pesan', at: rig.shop.now });
    expect(rig.shop.sent.map((m) => m.text)).toEqual(['Halo kak, saya cek dulu ya', 'Sudah saya cek kak, stoknya ada']); // the bot stays quiet
  });

  it('no reminder while the shop is closed: opening time counts, not the night', async () => {
    rig = new SlaRig('{ mon-fri: "08:00-17:00" }');
    const { customer, escalation } = rig.escalate(at('2026-11-23T16:58:00+07:00')); // Monday, two minutes before closing
    const timers = rig.timers();
    rig.now = at('2026-11-23T17:30:00+07:00'); // by the wall clock both the reminder and the alert would be due
    await timers.schedule(customer);
    await sleep(500);
    expect(rig.reminders).toEqual([]);
    expect(await delayOf(timers, escalation, 'remind')).toBe(at('2026-11-24T08:03:00+07:00') - rig.shop.now);
    expect(await delayOf(timers, escalation, 'alert')).toBe(at('2026-11-24T08:28:00+07:00') - rig.shop.now);

    rig.now = at('2026-11-24T08:02:00+07:00'); // a job that fires early (say, the hours changed) waits on
    await elapse(timers, escalation, 'remind');
    await eventually('the early job waits on', () => waitsAbout(timers, escalation, 'remind', MINUTE));
    expect(rig.reminders).toEqual([]);

    rig.now = at('2026-11-24T08:03:00+07:00');
    await elapse(timers, escalation, 'remind');
    await eventually('staff were reminded three minutes after opening', () => rig.reminders.length === 1);
    expect(rig.kinds()).toEqual(['remind']);
  });
});
