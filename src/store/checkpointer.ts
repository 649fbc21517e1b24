/**
 * WAL checkpoints beside the bot instead of inside it. SQLite's automatic checkpoint runs within whichever commit
 * crosses 1,000 WAL pages and copies them into the database file there and then: every ~70 messages one customer
 * waits for it (the p99 of message handling, docs/performance.md). Here a second connection in a worker thread
 * checkpoints on a timer; a PASSIVE checkpoint never blocks the bot's writes.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './database.js';

const EVERY_MS = 500;
/** What SQLite would do by itself (its default), when the worker cannot. */
const AUTOMATIC_PAGES = 1000;

// Plain JavaScript, so the worker needs no TypeScript loader; it loads the same better-sqlite3 as the bot.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
`;

export class BackgroundCheckpoints {
  private readonly worker: Worker;

  constructor(db: Db, log: Pick<Logger, 'warn'>) {
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: db.name, everyMs: EVERY_MS } });
    this.worker.unref();
    this.worker.on('error', (error) => {
      log.warn({ err: error }, 'background WAL checkpoints stopped; SQLite checkpoints by itself again');
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
