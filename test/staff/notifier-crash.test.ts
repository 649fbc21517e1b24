/**
 * A crash between sending a staff notification and marking it sent: the staff phone gets it once. After the
 * restart WhatsApp delivers the shop account's own message back (its echo), which marks it sent, so the outbox of
 * staff notifications does not send it again, exactly as the customers' outbox does.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waMessage } from '../helpers/baileys.js';
import { killWhileSending } from '../helpers/crash.js';
import { flowsFrom } from '../helpers/engine.js';
import { RINA, StaffRig } from '../helpers/staff-rig.js';
import { silentServerPerFile } from '../helpers/silent-server.js';
import { tempDir } from '../helpers/temp.js';
import { STAFF_CRASH_FLOWS } from '../fixtures/staff-crash-flows.js';

const serverUrl = silentServerPerFile();

interface WireLine {
  id: string;
  chat: string;
  text: string;
}

describe('crash between sending a staff notification and marking it sent', () => {
  it('the staff phone gets the escalation once after the restart', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'setia.db');
    const wirePath = join(dir, 'wire.log');
    const notificationId = await killWhileSending('test/fixtures/staff-crash-child.ts', [dbPath, wirePath]);
    const wire = readFileSync(wirePath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as WireLine);
    const notification = wire.find((line) => line.id === notificationId)!;
    expect(notification).toMatchObject({ chat: RINA, text: expect.stringMatching(/^🔔 Halo Rina, ada pelanggan yang perlu dibantu/) });

    const rig = new StaffRig(serverUrl(), flowsFrom(STAFF_CRASH_FLOWS), dbPath);
    try {
      // Back online, WhatsApp delivers what the shop's account sent, then the outbox is flushed (as on every open).
      await rig.deliver('append', waMessage(RINA, { conversation: notification.text }, { key: { fromMe: true, id: notificationId } }));
      await rig.notifier.flush();
      const atRina = [...wire.filter((line) => line.chat === RINA), ...rig.sent.filter((sent) => sent.to === RINA)];
      expect(atRina.map((line) => line.text.split('\n')[0])).toEqual(['🔔 Halo Rina, ada pelanggan yang perlu dibantu.']);
      expect(rig.store.staffNotifications.pending()).toEqual([]);
    } finally {
      rig.close();
    }
  }, 30_000);
});
