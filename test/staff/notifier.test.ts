import { beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { flowsFrom } from '../helpers/engine.js';
import { BUDI, CUSTOMER, RINA, StaffRig, staffRigPerTest } from '../helpers/staff-rig.js';
import { tempDir } from '../helpers/temp.js';

const rigs = staffRigPerTest();
let rig: StaffRig;
beforeEach(() => {
  rig = rigs.current();
});

const pendingNotifications = (): number =>
  (rig.store.db.prepare(`SELECT count(*) AS n FROM staff_notifications WHERE status = 'pending'`).get() as { n: number }).n;

/** The customer asks for a person; returns their escalation's id. */
async function escalate(): Promise<number> {
  await rig.customerSays('halo');
  await rig.customerSays('saya mau bicara dengan staf, paket belum sampai');
  return rig.store.escalations.current(rig.customer().rowId)!.id;
}

describe('staff notifier', () => {
  it('tells each staff phone about a new escalation: who, why, their last message and the inbox link', async () => {
    const escalationId = await escalate();
    expect(rig.textsTo(CUSTOMER)).toEqual(['[halo]', 'Sebentar ya, staf kami segera membalas.']);
    for (const [staff, name] of [[RINA, 'Rina'], [BUDI, 'Budi']] as const) {
      const [notice, ...more] = rig.textsTo(staff);
      expect(more).toEqual([]);
      expect(notice).toContain(`Halo ${name}`);
      expect(notice).toContain('Sari (+6281234567890)');
      expect(notice).toContain('Minta staf');
      expect(notice).toContain('"saya mau bicara dengan staf, paket belum sampai"');
      expect(notice).toContain(`https://inbox.tokosari.id/customers/${rig.customer().rowId}`);
    }
    expect(rig.store.escalations.hasEvent(escalationId, 'notified')).toBe(true);
  });

  it('notifies nobody when the shop lists no staff', async () => {
    rig = rigs.restart(flowsFrom(`
fallback: echo
flows:
  human: { triggers: [staf], steps: [ { escalate: "Minta staf" } ] }
  echo: { steps: [ { say: "[{{message.text}}]" } ] }
`));
    await escalate();
    expect(rig.sent.filter((m) => m.to !== CUSTOMER)).toEqual([]);
    expect(pendingNotifications()).toBe(0);
  });

  it('keeps notifications through a failed send and sends them, in order, on the next flush', async () => {
    rig.gateway.setConnected(false);
    await escalate();
    expect(rig.sent).toEqual([]);
    expect(pendingNotifications()).toBe(2);
    rig.gateway.setConnected(true); // the reconnect's flush
    await rig.notifier.flush();
    expect(rig.sent.map((m) => m.to)).toEqual([RINA, BUDI]);
    expect(pendingNotifications()).toBe(0);
  });

  it('tries again by itself a little later after a passing failure', async () => {
    rig.gateway.setConnected(false);
    await escalate();
    rig.gateway.setConnected(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rig.textsTo(RINA)).toHaveLength(1);
    expect(rig.textsTo(BUDI)).toHaveLength(1);
  });

  it('survives a restart: what was written before the crash is sent by the next process', async () => {
    const dbPath = join(tempDir(), 'setia.db');
    rig = rigs.restart(undefined, dbPath);
    rig.gateway.setConnected(false);
    await escalate();
    rig = rigs.restart(undefined, dbPath);
    await rig.notifier.flush();
    expect(rig.sent.map((m) => m.to)).toEqual([RINA, BUDI]);
  });

  it('marks a notification WhatsApp refuses for good as failed and goes on with the others', async () => {
    rig.refused.add(RINA);
    await escalate();
    expect(rig.textsTo(RINA)).toEqual([]);
    expect(rig.textsTo(BUDI)).toHaveLength(1);
    const failed = rig.store.db.prepare(`SELECT staff_chat AS chat, error FROM staff_notifications WHERE status = 'failed'`).all();
    expect(failed).toEqual([{ chat: RINA, error: 'WhatsApp does not let this account start a chat with this number (463)' }]);
  });

  it('reminds every staff member, alerts only the owner, and each can be answered by quoting it', async () => {
    const escalationId = await escalate();
    rig.now += 15 * 60_000;
    rig.store.transaction(() => rig.notifier.reminder(escalationId, 'remind', rig.now));
    rig.store.transaction(() => rig.notifier.reminder(escalationId, 'alert', rig.now));
    await rig.notifier.flush();
    expect(rig.textsTo(RINA)[1]).toContain('sudah menunggu 15 menit dan belum dijawab');
    expect(rig.textsTo(RINA)).toHaveLength(2);
    const alert = rig.lastTo(BUDI);
    expect(alert.text).toContain('belum ada staf yang menjawab pelanggan ini selama 15 menit');

    await rig.staffSays(BUDI, alert.id, 'Maaf menunggu, Kak. Saya cek dulu ya.');
    expect(rig.textsTo(CUSTOMER).at(-1)).toBe('Maaf menunggu, Kak. Saya cek dulu ya.');
  });

  it('alerts every staff member when nobody is marked owner, and stays quiet about released conversations', async () => {
    rig = rigs.restart(flowsFrom(`
settings: { staff: [ { name: Rina, phone: "6281211112222" }, { name: Budi, phone: "6281233334444" } ] }
flows:
  human: { triggers: [staf], steps: [ { escalate: "Minta staf" } ] }
`));
    const escalationId = await escalate();
    expect(rig.store.transaction(() => rig.notifier.reminder(escalationId, 'alert', rig.now))).toBe(2);
    await rig.desk.release(rig.customer().rowId, 'Rina');
    expect(rig.store.transaction(() => rig.notifier.reminder(escalationId, 'remind', rig.now))).toBe(0);
    await rig.notifier.flush();
    expect(rig.textsTo(RINA)).toHaveLength(2);
    expect(rig.textsTo(BUDI)).toHaveLength(2);
  });
});
