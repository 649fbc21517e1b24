import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { CheckinRig, DAY, eventually } from '../helpers/checkin-rig.js';
import { removeTempDirs } from '../helpers/temp.js';

jest.setTimeout(60_000);
afterAll(removeTempDirs);

let rig: CheckinRig;
afterEach(() => rig?.cleanup());

describe('check-ins on BullMQ (real Redis)', () => {
  it('after the bot was stopped for a day, one sweep picks up everyone due, and each hears from the shop once', async () => {
    rig = new CheckinRig();
    const due = rig.addCustomers(40, 29 * DAY);
    const notDue = rig.addCustomers(10, 5 * DAY, 6281900000000);
    rig.now += DAY + 60_000; // the bot was down for a day: nobody was checked in meanwhile
    const queues = rig.queues();
    await queues.start();
    await eventually('all due customers were checked in', () => rig.sent.length >= due.length);
    expect(await queues.sweep()).toBe(0); // a second sweep finds nothing: the check-ins were contacts
    const perChat = rig.sentPerChat();
    expect(due.every((chat) => perChat.get(chat) === 1)).toBe(true);
    expect(notDue.some((chat) => perChat.has(chat))).toBe(false);
    expect(rig.sent[0]!.text).toMatch(/^Halo Pelanggan \d+, apa kabar\?$/);
    expect(rig.store.checkins.counts(0, Infinity)).toEqual({ sent: 40, answered: 0 });
  });

  it('a sweep run twice, and a job delivered twice, still send each check-in once', async () => {
    rig = new CheckinRig();
    const chats = rig.addCustomers(20, 31 * DAY);
    const queues = rig.queues({ maxPerWindow: 5, limitMs: 300 });
    await Promise.all([queues.sweep(), queues.sweep(), queues.sweep()]);
    // At-least-once delivery: the same job handed to the sender again after it ran.
    await eventually('all were checked in', () => rig.sent.length >= 20);
    const first = (await queues.sendQueue.getCompleted())[0]!;
    expect(await rig.sender.send(first.data)).toMatch(/already sent|no longer due/);
    expect([...rig.sentPerChat().values()].every((n) => n === 1)).toBe(true);
    expect(rig.sentPerChat().size).toBe(chats.length);
  });

  it('the limiter holds max_per_minute across a 500-customer batch (a scaled-down window: 50 per 250 ms)', async () => {
    rig = new CheckinRig();
    rig.addCustomers(500, 31 * DAY);
    const started: number[] = [];
    const queues = rig.queues({ maxPerWindow: 50, limitMs: 250, queueAheadMs: 10_000, send: (job) => (started.push(Date.now()), rig.sender.send(job)) });
    expect(await queues.sweep()).toBe(500);
    await eventually('all 500 were checked in', () => rig.sent.length >= 500);
    // 500 sends at 50 per window need at least 10 windows: the last starts 9 windows after the first, or later.
    expect(Math.max(...started) - Math.min(...started)).toBeGreaterThanOrEqual(9 * 250);
    expect(rig.sentPerChat().size).toBe(500);
  });

  it('the sweep hands over only what the limiter can send soon, so Redis does not grow with the customers', async () => {
    rig = new CheckinRig();
    rig.addCustomers(300, 31 * DAY);
    const queues = rig.queues({ maxPerWindow: 6, limitMs: 60_000, queueAheadMs: 600_000 });
    await queues.sweepQueue.waitUntilReady();
    expect(await queues.sweep()).toBe(60); // ten minutes' worth at 6 a minute
    expect(rig.store.customers.checkinsDue(rig.now, 1_000).length).toBe(300); // the rest stay due in SQLite
  });

  it('a customer who writes between the sweep and the send is not interrupted', async () => {
    rig = new CheckinRig();
    const [chat] = rig.addCustomers(1, 31 * DAY);
    const [job] = rig.store.transaction(() => rig.store.customers.checkinsDue(rig.now, 10)).map((customerId) => {
      const verdict = rig.planner.replan(customerId, rig.now);
      return verdict?.due ? { customerId, chatId: chat!, rule: verdict.rule.name, cycle: verdict.cycle } : undefined;
    });
    await rig.transport.deliver({ id: 'IN-1', chatId: chat!, kind: 'text', text: 'halo', at: rig.now });
    expect(await rig.sender.send(job!)).toBe('no longer due');
    expect(rig.sent.map((m) => m.text)).toEqual(['Halo Pelanggan 0, apa kabar?']); // the reply to "halo" only
  });
});
