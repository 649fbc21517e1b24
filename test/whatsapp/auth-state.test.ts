import { afterAll, describe, expect, it } from '@jest/globals';
import { BufferJSON, proto, type SignalDataSet } from '@whiskeysockets/baileys';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { sqliteAuthState } from '../../src/whatsapp/auth-state.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

/** Bytes compared by content, whether Buffer or Uint8Array. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, BufferJSON.replacer));

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (i * n) % 256);

/** One value of every key type Baileys 7 stores. */
const EVERY_TYPE: SignalDataSet = {
  'pre-key': { '1': { public: bytes(3), private: bytes(5) } },
  session: { '62811.0': bytes(7) },
  'sender-key': { 'group::62811': bytes(11) },
  'sender-key-memory': { group: { '62811@s.whatsapp.net': true } },
  'app-state-sync-key': { AAAA: { keyData: bytes(13), timestamp: 1700000000 } },
  'app-state-sync-version': { regular: { version: 3, hash: Buffer.from(bytes(17)), indexValueMap: {} } },
  'lid-mapping': { '123456789': '6281234567890' },
  'device-list': { '6281234567890': ['0', '1'] },
  tctoken: { '62811@s.whatsapp.net': { token: Buffer.from(bytes(19)), timestamp: '1700000000' } },
  'identity-key': { '62811.0': bytes(23) },
};

describe('SQLite auth state (the linked WhatsApp session)', () => {
  it('stores, returns and deletes every key type, with bytes intact after reopening the database', async () => {
    const path = join(tempDir(), 'setia.db');
    let store = Store.open(path);
    await sqliteAuthState(store.db).state.keys.set(EVERY_TYPE);
    store.close();

    store = Store.open(path);
    const { keys } = sqliteAuthState(store.db).state;
    for (const [type, values] of Object.entries(EVERY_TYPE)) {
      const ids = Object.keys(values!);
      const found = await keys.get(type as keyof SignalDataSet, [...ids, 'missing']);
      expect(Object.keys(found)).toEqual(ids);
      for (const id of ids) {
        const want = (values as Record<string, unknown>)[id];
        const got = (found as Record<string, unknown>)[id];
        const expected = type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(want as object) : want;
        expect(asJson(got)).toEqual(asJson(expected));
      }
    }
    const session = (await keys.get('session', ['62811.0']))['62811.0'];
    expect(Buffer.from(session!).equals(Buffer.from(bytes(7)))).toBe(true);

    await keys.set({ session: { '62811.0': null }, 'lid-mapping': { '123456789': null } });
    expect(await keys.get('session', ['62811.0'])).toEqual({});
    expect(await keys.get('lid-mapping', ['123456789'])).toEqual({});
    store.close();
  });

  it('rebuilds app-state-sync-key values as protobuf objects Baileys can use', async () => {
    const store = Store.open(join(tempDir(), 'setia.db'));
    const { keys } = sqliteAuthState(store.db).state;
    await keys.set({ 'app-state-sync-key': EVERY_TYPE['app-state-sync-key'] });
    const key = (await keys.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(key).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(key!.keyData!).equals(Buffer.from(bytes(13)))).toBe(true);
    store.close();
  });

  it('keeps the credentials across restarts, and forgets everything on clear', () => {
    const path = join(tempDir(), 'setia.db');
    let store = Store.open(path);
    const first = sqliteAuthState(store.db);
    expect(first.isLinked()).toBe(false);
    first.state.creds.me = { id: '6281234567890:12@s.whatsapp.net', name: 'Toko Sari' };
    first.saveCreds();
    store.close();

    store = Store.open(path);
    const again = sqliteAuthState(store.db);
    expect(again.isLinked()).toBe(true);
    expect(Buffer.from(again.state.creds.noiseKey.private).equals(Buffer.from(first.state.creds.noiseKey.private))).toBe(true);
    again.clear();
    expect(sqliteAuthState(store.db).isLinked()).toBe(false);
    store.close();
  });
});
