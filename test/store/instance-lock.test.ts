import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { StoreLockedError } from '../../src/errors.js';
import { acquireInstanceLock, lockHolder } from '../../src/store/instance-lock.js';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('instance lock', () => {
  it('refuses a second bot on the same database while the first process lives, and frees it on release', () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const first = acquireInstanceLock(store.db, 'data/setia.db', 1_000, process.ppid);
    expect(() => acquireInstanceLock(store.db, 'data/setia.db', 2_000, process.pid)).toThrow(StoreLockedError);
    expect(() => acquireInstanceLock(store.db, 'data/setia.db', 2_000, process.pid)).toThrow(/data\/setia\.db is in use by another Setia \(pid \d+ on /);
    first.release();
    expect(() => acquireInstanceLock(store.db, 'data/setia.db', 3_000, process.pid).release()).not.toThrow();
    store.close();
  });

  it('takes over a lock left by a process that died', () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    acquireInstanceLock(store.db, 'db', 1_000, dead);
    expect(lockHolder(store.db, 2_000)).toBeUndefined();
    expect(() => acquireInstanceLock(store.db, 'db', 2_000, process.pid)).not.toThrow();
    store.close();
  });
});
