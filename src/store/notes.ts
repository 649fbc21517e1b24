/** Staff's private notes on a customer: shown in the inbox, never sent to the customer. */
import type { Db } from './database.js';

export interface Note {
  id: number;
  customerId: number;
  author: string;
  text: string;
  at: number;
}

export class NoteStore {
  private readonly insert;
  private readonly forCustomer;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO notes (customer_id, author, text, at) VALUES (?, ?, ?, ?)');
    this.forCustomer = db.prepare<[number], Note>('SELECT id, customer_id AS customerId, author, text, at FROM notes WHERE customer_id = ? ORDER BY id');
  }

  add(customerId: number, author: string, text: string, at: number): void {
    this.insert.run(customerId, author, text, at);
  }

  list(customerId: number): Note[] {
    return this.forCustomer.all(customerId);
  }
}
