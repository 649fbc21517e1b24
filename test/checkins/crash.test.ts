import { afterAll, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import { CheckinRig, DAY, eventually } from '../helpers/checkin-rig.js';
import { killWhileSending } from '../helpers/crash.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

jest.setTimeout(60_000);
afterAll(removeTempDirs);

it('a worker SIGKILLed mid-send: BullMQ retries the job, and the customer gets the check-in exactly once', async () => {
  const dbPath = join(tempDir(), 'setia.db');
  const setup = new CheckinRig({ dbPath });
  const [chat] = setup.addCustomers(1, 31 * DAY);
  setup.store.close();

  const messageId = await killWhileSending('test/fixtures/checkin-worker-child.ts', [dbPath, setup.prefix, String(setup.now)]);

  // The restarted bot: a new worker takes over the job once the dead worker's lock runs out.
  const rig = new CheckinRig({ dbPath, prefix: setup.prefix });
  try {
    const queues = rig.queues({ lockDurationMs: 1_000 });
    await eventually('the killed job was retried and finished', async () => (await queues.sendQueue.getCompletedCount()) === 1);
    expect(rig.sent.map((m) => [m.chatId, m.messageId])).toEqual([[chat, messageId]]);
    expect(rig.store.checkins.counts(0, Infinity).sent).toBe(1);
    expect(rig.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    await rig.cleanup();
  }
});
