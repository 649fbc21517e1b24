import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { GroupCommit } from '../../src/store/group-commit.js';
import { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const chat = (n: number): string => `6281100${n}@s.whatsapp.net`;

describe('group commit', () => {
  it('commits the writes of one turn together, and settles each only once another connection can read it', async () => {
    const path = join(tempDir(), 'setia.db');
    const store = Store.open(path);
    const reader = Store.open(path);
    const commits = new GroupCommit(store);
    const seenByReader: boolean[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        commits.run(() => store.customers.contact(chat(n), 1_000)).then(() => seenByReader.push(reader.customers.get(chat(n)) !== undefined)),
      ),
    );
    expect(seenByReader).toEqual([true, true, true]);
    reader.close();
    store.close();
  });

  it('rolls back only the write that failed; the others in its group land', async () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const commits = new GroupCommit(store);
    const outcomes = await Promise.allSettled([
      commits.run(() => store.customers.contact(chat(1), 1_000)),
      commits.run(() => {
        store.customers.contact(chat(2), 1_000);
        throw new Error('the engine broke on this message');
      }),
      commits.run(() => store.customers.contact(chat(3), 1_000).rowId),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([1, 2, 3].map((n) => store.customers.get(chat(n)) !== undefined)).toEqual([true, false, true]);
    store.close();
  });
});
