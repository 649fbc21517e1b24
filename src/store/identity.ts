/**
 * One customer, one record, across WhatsApp's two ids for a person: a customer first seen only by their LID
 * (`…@lid`, no phone number known yet) joins the record keyed by their phone number once a message shows both.
 */
import type { Db } from './database.js';

interface Row {
  id: number;
  tags: string;
  counters: string;
}

export class IdentityStore {
  private readonly find;
  private readonly rename;
  private readonly moveMessages;
  private readonly moveEscalations;
  private readonly moveCheckins;
  private readonly mergeInto;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.find = db.prepare<[string], Row>('SELECT id, tags, counters FROM customers WHERE wa_id = ?');
    this.rename = db.prepare('UPDATE customers SET wa_id = ? WHERE id = ?');
    this.moveMessages = db.prepare('UPDATE messages SET customer_id = ? WHERE customer_id = ?');
    this.moveEscalations = db.prepare('UPDATE escalations SET customer_id = ? WHERE customer_id = ?');
    this.moveCheckins = db.prepare('UPDATE checkins SET customer_id = ? WHERE customer_id = ?');
    this.mergeInto = db.prepare('UPDATE customers SET tags = ?, counters = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM customers WHERE id = ?');
  }

  /** The customer known as `lid` is the customer `chatId`: afterwards only `chatId` exists, with both histories. */
  adoptLid(lid: string, chatId: string): void {
    if (lid === chatId) return;
    const byLid = this.find.get(lid);
    if (!byLid) return;
    const byPhone = this.find.get(chatId);
    this.db.transaction(() => {
      if (!byPhone) return void this.rename.run(chatId, byLid.id);
      this.moveMessages.run(byPhone.id, byLid.id);
      this.moveEscalations.run(byPhone.id, byLid.id);
      this.moveCheckins.run(byPhone.id, byLid.id);
      const tags = [...new Set([...parse<string[]>(byPhone.tags), ...parse<string[]>(byLid.tags)])];
      const counters = parse<Record<string, number>>(byLid.counters);
      for (const [name, value] of Object.entries(parse<Record<string, number>>(byPhone.counters))) counters[name] = Math.max(value, counters[name] ?? 0);
      this.mergeInto.run(JSON.stringify(tags), JSON.stringify(counters), byPhone.id);
      this.remove.run(byLid.id); // its conversation state goes with it: the phone-number record's is newer
    })();
  }
}

function parse<T>(json: string): T {
  return JSON.parse(json) as T;
}
