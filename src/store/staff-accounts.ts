/** Staff accounts for the web inbox: a name, a role, and a password hash (see src/staff/password.ts). */
import type { Db } from './database.js';

export type Role = 'owner' | 'staff';

/** A usable account name: 1–40 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit. */
export const ACCOUNT_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u;

export interface StaffAccount {
  id: number;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
}

const COLUMNS = 'id, name, role, password_hash AS passwordHash, created_at AS createdAt';

export class StaffAccountStore {
  private readonly insert;
  private readonly byNameStmt;
  private readonly byIdStmt;
  private readonly allStmt;
  private readonly removeStmt;
  private readonly passwordStmt;
  private readonly countStmt;
  private readonly ownersStmt;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO staff_accounts (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)');
    this.byNameStmt = db.prepare<[string], StaffAccount>(`SELECT ${COLUMNS} FROM staff_accounts WHERE name = ?`);
    this.byIdStmt = db.prepare<[number], StaffAccount>(`SELECT ${COLUMNS} FROM staff_accounts WHERE id = ?`);
    this.allStmt = db.prepare<[], StaffAccount>(`SELECT ${COLUMNS} FROM staff_accounts ORDER BY name`);
    this.removeStmt = db.prepare('DELETE FROM staff_accounts WHERE name = ?');
    this.passwordStmt = db.prepare('UPDATE staff_accounts SET password_hash = ? WHERE name = ?');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff_accounts');
    this.ownersStmt = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM staff_accounts WHERE role = 'owner'");
  }

  /** Creates an account; false when the name is taken (names compare without case). */
  add(name: string, role: Role, passwordHash: string, at: number): boolean {
    try {
      this.insert.run(name, role, passwordHash, at);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
  }

  byName(name: string): StaffAccount | undefined {
    return this.byNameStmt.get(name);
  }

  byId(id: number): StaffAccount | undefined {
    return this.byIdStmt.get(id);
  }

  all(): StaffAccount[] {
    return this.allStmt.all();
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  owners(): number {
    return this.ownersStmt.get()!.n;
  }

  /** Removes the account and, with it, its sessions; false when there is no such account. */
  remove(name: string): boolean {
    return this.removeStmt.run(name).changes === 1;
  }

  setPassword(name: string, passwordHash: string): boolean {
    return this.passwordStmt.run(passwordHash, name).changes === 1;
  }
}
