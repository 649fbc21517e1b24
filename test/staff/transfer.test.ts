/** Transfers to a colleague: their WhatsApp hears of it once, written with the transfer; refusals change nothing. */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { StaffDesk } from '../../src/staff/desk.js';
import { BUDI, CUSTOMER, RINA, StaffRig, STAFF_FLOWS, staffRigPerTest } from '../helpers/staff-rig.js';
import { tempDir } from '../helpers/temp.js';

const rigs = staffRigPerTest();
let rig: StaffRig;
beforeEach(() => {
  rig = rigs.current();
});

/** The desk as app.ts wires it: a transfer queues the colleague's notification in its own transaction. */
const deskOf = (of: StaffRig): StaffDesk =>
  new StaffDesk(of.store, of.pipeline, () => of.now, undefined, { transferred: (id, by, to, now) => void of.notifier.transferred(id, by, to, now) });

const transferEvents = (): unknown[] => rig.store.db.prepare(`SELECT actor, target FROM escalation_events WHERE kind = 'transferred'`).all();

async function escalate(): Promise<number> {
  await rig.customerSays('staf, paket saya belum sampai');
  return rig.customer().rowId;
}

describe('transferring an escalation', () => {
  it('gives it to the colleague and tells their WhatsApp who sent it, about whom, why, and where to answer', async () => {
    const customerId = await escalate();
    const before = rig.textsTo(RINA).length;
    expect(await deskOf(rig).transfer(customerId, 'Budi', 'rina')).toBe('transferred');
    await rig.settle();
    const notices = rig.textsTo(RINA).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^🔀 Halo Rina, Budi mengalihkan pelanggan ini ke kamu\./);
    expect(notices[0]).toContain('Sari (+6281234567890)');
    expect(notices[0]).toContain('Minta staf');
    expect(notices[0]).toContain(`https://inbox.tokosari.id/customers/${customerId}`);
    expect(rig.store.escalations.current(customerId)).toMatchObject({ status: 'claimed', claimedBy: 'rina' });
    expect(transferEvents()).toEqual([{ actor: 'Budi', target: 'rina' }]);

    // Rina answers by quoting it, as with any notification.
    await rig.staffSays(RINA, rig.lastTo(RINA).id, 'Halo Kak, saya Rina yang bantu ya');
    expect(rig.textsTo(CUSTOMER).at(-1)).toBe('Halo Kak, saya Rina yang bantu ya');
  });

  it('sends the notification exactly once across a crash before it went out', async () => {
    const dbPath = join(tempDir(), 'setia.db');
    rig = rigs.restart(STAFF_FLOWS, dbPath);
    const customerId = await escalate();
    rig.gateway.setConnected(false);
    await deskOf(rig).transfer(customerId, 'Budi', 'Rina');
    const transferNotices = (): number => rig.textsTo(RINA).filter((text) => text.startsWith('🔀')).length;
    const sentBefore = transferNotices();
    rig = rigs.restart(STAFF_FLOWS, dbPath); // the process died with the notification pending
    await rig.notifier.flush();
    await rig.notifier.flush();
    expect([sentBefore, transferNotices()]).toEqual([0, 1]);
  });

  it('notifies nobody on WhatsApp when the colleague has no phone in settings.staff', async () => {
    const customerId = await escalate();
    const sent = rig.sent.length;
    expect(await deskOf(rig).transfer(customerId, 'Budi', 'Dewi')).toBe('transferred');
    await rig.settle();
    expect(rig.sent.slice(sent)).toEqual([]);
  });

  it('refuses oneself, the colleague who holds it already, and a released conversation, changing nothing', async () => {
    const customerId = await escalate();
    const desk = deskOf(rig);
    await desk.claim(customerId, 'Rina');
    const sent = rig.sent.length;
    expect(await desk.transfer(customerId, 'Budi', 'budi')).toBe('self');
    expect(await desk.transfer(customerId, 'Budi', 'RINA')).toBe('already-theirs');
    await desk.release(customerId, 'Rina');
    expect(await desk.transfer(customerId, 'Rina', 'Budi')).toBe('not-open');
    expect(await desk.transfer(999, 'Rina', 'Budi')).toBe('no-customer');
    await rig.settle();
    expect(rig.sent.slice(sent).filter((m) => m.to === BUDI || m.to === RINA)).toEqual([]);
    expect(transferEvents()).toEqual([]);
    expect(rig.store.escalations.current(customerId)).toBeUndefined();
  });
});
