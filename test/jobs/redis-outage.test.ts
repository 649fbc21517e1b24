import { afterAll, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { pino, type Logger } from 'pino';
import type { CheckinQueueOptions } from '../../src/checkins/queues.js';
import { JobService, type JobGroup } from '../../src/jobs/service.js';
import { CHECKIN_FLOWS, CheckinRig, DAY, eventually } from '../helpers/checkin-rig.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

jest.setTimeout(90_000);
afterAll(removeTempDirs);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private, throw-away redis-server: never the shared one, which other tests use. */
async function redisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tempDir()], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return child;
}

/** A second group that only counts how often it was started, to show every group restarts after an outage. */
class CountingGroup implements JobGroup {
  starts = 0;
  async start(): Promise<void> {
    this.starts++;
  }
  async close(): Promise<void> {}
}

/** The bot's jobs on the Redis at `port`: the rig's check-ins, and the counting group as "reminders". */
function jobService(rig: CheckinRig, port: number, log: Logger, tuning: Partial<CheckinQueueOptions> = {}) {
  const reminders = new CountingGroup();
  const service = new JobService({
    redis: { host: '127.0.0.1', port },
    prefix: rig.prefix,
    log,
    groups: { 'check-ins': (target) => rig.queues({ ...target, ...tuning }), reminders: () => reminders },
  });
  return { service, reminders };
}

it('closing while Redis is still being reached leaves nothing running', async () => {
  const port = await freePort(); // nothing listens: the service keeps trying
  const rig = new CheckinRig();
  const { service } = jobService(rig, port, pino({ level: 'silent' }));
  const redis = await redisServer(port); // Redis appears just as the bot shuts down
  await service.close();
  rig.addCustomers(5, 31 * DAY);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(rig.sent).toHaveLength(0); // no worker was left to send
  rig.store.close();
  redis.kill('SIGKILL');
});

it('closing while Redis is down: the jobs give up waiting for it, and the store closes after them', async () => {
  const port = await freePort();
  const redis = await redisServer(port);
  const logs: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const rig = new CheckinRig();
  rig.addCustomers(5, 31 * DAY);
  const { service } = jobService(rig, port, log, { closeDeadlineMs: 500, sweepEveryMs: 500, limitMs: 200 });
  try {
    await eventually('the check-ins ran', () => logs.some((l) => l.includes('check-ins and reminders running')));
    redis.kill('SIGKILL');
    const killedAt = Date.now();
    await eventually('the outage was noticed', () => logs.some((l) => l.includes('are paused')));
    // BullMQ's own Worker.close() never resolves here; the bound is generous, the close is forced after 0.5 s.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, 20_000, 'still closing')));
    expect(await Promise.race([service.close().then(() => 'closed'), late])).toBe('closed');
    clearTimeout(timer);
    rig.store.close();
    // BullMQ gives up a blocking read Redis never answered after its block time plus 1 s (6 s when idle): nothing is left running after it.
    await new Promise((resolve) => setTimeout(resolve, killedAt + 6_500 - Date.now()));
  } finally {
    redis.kill('SIGKILL');
  }
});

it('Redis dies during the check-ins and comes back empty: replies go on, every group starts again, and every due customer is checked in once', async () => {
  const port = await freePort();
  let redis = await redisServer(port);
  const logs: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const rig = new CheckinRig({ flows: CHECKIN_FLOWS.replace('max_per_minute: 60', 'max_per_minute: 10') });
  const chats = rig.addCustomers(150, 31 * DAY);
  const { service, reminders } = jobService(rig, port, log, { limitMs: 200, sweepEveryMs: 500 });
  try {
    await eventually('some check-ins went out', () => rig.sent.length >= 20);
    expect(logs.some((l) => l.includes('check-ins and reminders running'))).toBe(true);
    redis.kill('SIGKILL');
    await eventually('the outage was noticed', () => logs.some((l) => l.includes('check-ins and reminders are paused')));

    // Replies do not need Redis.
    const before = rig.sent.length;
    await rig.transport.deliver({ id: 'IN-OUTAGE', chatId: '6289999999999@s.whatsapp.net', kind: 'text', text: 'halo', at: rig.now });
    expect(rig.sent.slice(before).map((m) => m.chatId)).toContain('6289999999999@s.whatsapp.net');

    redis = await redisServer(port); // back, with nothing in it: SQLite knows what is still due
    await eventually('every due customer was checked in', () => chats.every((chat) => rig.sentPerChat().has(chat)));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for any doubled send to show up
    const perChat = rig.sentPerChat();
    expect(chats.filter((chat) => perChat.get(chat) !== 1)).toEqual([]);
    expect(logs.filter((l) => l.includes('are paused'))).toHaveLength(1);
    expect(logs.some((l) => l.includes('check-ins and reminders resumed'))).toBe(true);
    expect(reminders.starts).toBeGreaterThanOrEqual(2); // at first, and again when Redis came back
    expect(service.group('reminders')).toBe(reminders);
  } finally {
    await service.close();
    rig.store.close();
    redis.kill('SIGKILL');
  }
});
