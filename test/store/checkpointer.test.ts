import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const WAIT_MS = 10_000;

function writeCustomers(store: Store, count: number, first = 0): void {
  for (let i = first; i < first + count; i++) store.transaction(() => store.customers.contact(`62811${i}@s.whatsapp.net`, 1_000, { pushName: 'x'.repeat(500) }));
}

async function until(condition: () => boolean): Promise<boolean> {
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (condition()) return true;
  }
  return condition();
}

describe('WAL checkpoints in the background', () => {
  it('copies committed pages into the database file without any commit doing it', async () => {
    const path = join(tempDir(), 'setia.db');
    const store = Store.open(path);
    store.checkpointInBackground(silentLog);
    const before = statSync(path).size;
    writeCustomers(store, 2_000);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // The database file grows only by checkpoints, and the bot's own connection no longer makes any.
    expect(await until(() => statSync(path).size > before + 500_000)).toBe(true);
    store.close();
  });

  it('starts the WAL file over while the bot writes without a pause, so it does not grow without end', async () => {
    const path = join(tempDir(), 'setia.db');
    const store = Store.open(path);
    store.checkpointInBackground(silentLog);
    // Commits between turns of the event loop for 2 s, as a busy shop makes them: several checkpoints happen meanwhile.
    for (let written = 0, end = Date.now() + 2_000; Date.now() < end; written += 5, await new Promise((r) => setTimeout(r, 1))) {
      writeCustomers(store, 5, written);
    }
    // The WAL header counts the times SQLite started the file over (its checkpoint sequence number).
    expect(readFileSync(`${path}-wal`).readUInt32BE(12)).toBeGreaterThanOrEqual(2);
    store.close();
  });

  it('leaves the database whole and readable after close', async () => {
    const path = join(tempDir(), 'setia.db');
    const store = Store.open(path);
    store.checkpointInBackground(silentLog);
    writeCustomers(store, 300);
    store.close();
    const reopened = Store.open(path);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(reopened.customers.get('62811299@s.whatsapp.net')?.name).toBe('x'.repeat(500));
    reopened.close();
  });
});
