import { afterAll, afterEach, expect, it } from '@jest/globals';
import { dueCheckins } from '../../src/checkins/sweep.js';
import { CheckinRig, DAY } from '../helpers/checkin-rig.js';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

let rig: CheckinRig;
afterEach(() => rig?.cleanup());

it('a customer who writes back answers the check-in (counted for status and reports), and starts the next 30 days', async () => {
  rig = new CheckinRig();
  const [chat] = rig.addCustomers(1, 31 * DAY);
  const [job] = dueCheckins(rig.store, rig.planner, rig.now, 10);
  expect(await rig.sender.send(job!)).toBe('sent');
  expect(rig.store.checkins.counts(0, Infinity)).toEqual({ sent: 1, answered: 0 });

  rig.now += 5 * 3_600_000;
  await rig.transport.deliver({ id: 'IN-1', chatId: chat!, kind: 'text', text: 'baik, terima kasih', at: rig.now });
  expect(rig.store.checkins.counts(0, Infinity)).toEqual({ sent: 1, answered: 1 });
  expect(rig.store.customers.get(chat!)!.checkinDueAt).toBe(rig.now + 30 * DAY);
});
