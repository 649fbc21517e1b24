/**
 * The linked WhatsApp session in SQLite: Baileys' credentials and every signal key type, one generic table
 * keyed (type, id) with BufferJSON values. Each write is committed before Baileys goes on.
 */
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { Db } from '../store/database.js';

export interface SqliteAuthState {
  state: AuthenticationState;
  /** Persists the whole credentials object (Baileys merges `creds.update` into it before telling us). */
  saveCreds(): void;
  /** Forgets the session (after a logout): the next start links again. */
  clear(): void;
  /** True once the phone has linked this device. */
  isLinked(): boolean;
}

const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

export function sqliteAuthState(db: Db): SqliteAuthState {
  const readCreds = db.prepare<[], { data: string }>('SELECT data FROM wa_creds WHERE id = 1');
  const writeCreds = db.prepare('INSERT INTO wa_creds (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
  const readKey = db.prepare<[string, string], { value: string }>('SELECT value FROM wa_keys WHERE type = ? AND id = ?');
  const writeKey = db.prepare('INSERT INTO wa_keys (type, id, value) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET value = excluded.value');
  const deleteKey = db.prepare('DELETE FROM wa_keys WHERE type = ? AND id = ?');

  const stored = readCreds.get();
  const creds = stored ? (decode(stored.data) as AuthenticationCreds) : initAuthCreds();

  const keys = {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]): { [id: string]: SignalDataTypeMap[T] } {
      const found: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const row = readKey.get(type, id);
        if (!row) continue;
        let value = decode(row.value);
        // Stored as plain JSON; Baileys needs the protobuf object back, or app-state sync fails with "bad decrypt".
        if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        found[id] = value as SignalDataTypeMap[T];
      }
      return found;
    },
    set: db.transaction((data: SignalDataSet) => {
      for (const [type, values] of Object.entries(data)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          if (value === null || value === undefined) deleteKey.run(type, id);
          else writeKey.run(type, id, encode(value));
        }
      }
    }),
    clear: () => {
      db.exec('DELETE FROM wa_keys');
    },
  };

  return {
    state: { creds, keys },
    saveCreds: () => writeCreds.run(encode(creds)),
    clear: db.transaction(() => {
      db.exec('DELETE FROM wa_keys; DELETE FROM wa_creds');
    }),
    isLinked: () => Boolean(creds.registered || creds.me?.id),
  };
}
