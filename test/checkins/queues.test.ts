import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { dueCheckins } from '../../src/checkins/sweep.js';
import { CHECKIN_FLOWS, CheckinRig, DAY, eventually } from '../helpers/checkin-rig.js';
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
    expect(rig.store.customers.checkinsDue(rig.now, 1_000).length).toBeGreaterThanOrEqual(300 - 6); // all but the first minute's stay due in SQLite
  });

  it('repeated sweeps while the limiter holds jobs back do not queue more customers', async () => {
    rig = new CheckinRig();
    rig.addCustomers(300, 31 * DAY);
    const queues = rig.queues({ maxPerWindow: 6, limitMs: 60_000, queueAheadMs: 600_000 });
    for (let minute = 0; minute < 5; minute++) {
      await queues.sweep();
      rig.now += 60_000;
    }
    const counts = await queues.sendQueue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    expect(counts.waiting! + counts.prioritized! + counts.delayed! + counts.active!).toBeLessThanOrEqual(60); // ten minutes' worth
    expect(counts.completed!).toBeLessThanOrEqual(6 * 5); // the limiter let at most six a minute through
  });

  it('a check-in skipped because the window closed before it was sent goes out when the window reopens', async () => {
    const closing = Date.parse('2026-11-23T18:59:00+07:00');
    rig = new CheckinRig({ flows: CHECKIN_FLOWS.replace('send_window: "00:00-24:00"', 'send_window: "09:00-19:00"') });
    rig.now = closing;
    const [chat] = rig.addCustomers(1, 30 * DAY);
    let late = true;
    const queues = rig.queues({
      due: (limit) => {
        const jobs = dueCheckins(rig.store, rig.planner, rig.now, limit);
        if (late) rig.now = closing + 2 * 60_000; // the job is sent at 19:01: outside the window
        return jobs;
      },
    });
    expect(await queues.sweep()).toBe(1);
    await eventually('the late job ran', async () => (await queues.sendQueue.getCompletedCount()) === 1);
    expect(rig.sent).toHaveLength(0);
    late = false;
    rig.now = Date.parse('2026-11-24T10:30:00+07:00'); // the next morning, an hour and a half after opening
    expect(await queues.sweep()).toBe(1);
    await eventually('the check-in went out', () => rig.sent.length === 1);
    expect(rig.sent[0]!.chatId).toBe(chat);
  });

  it('a customer who writes between the sweep and the send is not interrupted', async () => {
    rig = new CheckinRig();
    const [chat] = rig.addCustomers(1, 31 * DAY);
    const [job] = dueCheckins(rig.store, rig.planner, rig.now, 10);
    await rig.transport.deliver({ id: 'IN-1', chatId: chat!, kind: 'text', text: 'halo', at: rig.now });
    expect(await rig.sender.send(job!)).toBe('no longer due');
    expect(rig.sent.map((m) => m.text)).toEqual(['Halo Pelanggan 0, apa kabar?']); // the reply to "halo" only
  });
});
