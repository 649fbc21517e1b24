/**
 * Web inbox sessions, kept on the server so that logout and expiry really end them. Only a hash of the
 * cookie's token is stored: someone who reads the database cannot log in with it.
 */
import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import type { Role } from './staff-accounts.js';

export interface WebSession {
  accountId: number;
  name: string;
  role: Role;
  csrfToken: string;
  expiresAt: number;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class WebSessionStore {
  private readonly insert;
  private readonly lookup;
  private readonly removeStmt;
  private readonly removeAccount;
  private readonly purge;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO web_sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.lookup = db.prepare<[string, number], WebSession>(
      `SELECT s.account_id AS accountId, a.name, a.role, s.csrf_token AS csrfToken, s.expires_at AS expiresAt
       FROM web_sessions s JOIN staff_accounts a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    );
    this.removeStmt = db.prepare('DELETE FROM web_sessions WHERE token_hash = ?');
    this.removeAccount = db.prepare('DELETE FROM web_sessions WHERE account_id = ?');
    this.purge = db.prepare('DELETE FROM web_sessions WHERE expires_at <= ?');
  }

  create(token: string, accountId: number, csrfToken: string, now: number, expiresAt: number): void {
    this.purge.run(now);
    this.insert.run(hashToken(token), accountId, csrfToken, now, expiresAt);
  }

  /** The live session of this token, or undefined when it is unknown, ended or expired. */
  get(token: string, now: number): WebSession | undefined {
    return this.lookup.get(hashToken(token), now);
  }

  end(token: string): void {
    this.removeStmt.run(hashToken(token));
  }

  /** Ends every session of an account (its password changed). */
  endAll(accountId: number): void {
    this.removeAccount.run(accountId);
  }
}
