/**
 * WAL checkpoints beside the bot instead of inside it. SQLite's automatic checkpoint runs within whichever commit
 * crosses 1,000 WAL pages and copies them into the database file there and then: every ~70 messages one customer
 * waits for it (the p99 of message handling, docs/performance.md). Here a second connection in a worker thread
 * checkpoints on a timer; a PASSIVE checkpoint never blocks the bot's writes.
 *
 * A checkpoint in another thread never quite finishes while the bot writes: the commits made during it stay
 * behind, so the WAL is never fully copied, SQLite never starts it over, and it grows without end (300 MB for
 * 10,000 messages; every commit then extends the file). So after each background checkpoint the bot's own
 * connection copies the few pages committed meanwhile, between two of its commits: the next commit then starts
 * the WAL from the beginning again.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './database.js';

const EVERY_MS = 500;
/** What SQLite would do by itself (its default), when the worker cannot. */
const AUTOMATIC_PAGES = 1000;

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// Plain JavaScript, so the worker needs no TypeScript loader; it loads the same better-sqlite3 as the bot.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
setInterval(() => parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]), workerData.everyMs);
`;

export class BackgroundCheckpoints {
  private readonly worker: Worker;

  constructor(private readonly db: Db, log: Pick<Logger, 'warn'>) {
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: db.name, everyMs: EVERY_MS } });
    this.worker.unref();
    this.worker.on('message', (result: CheckpointResult) => this.catchUp(result));
    this.worker.on('error', (error) => {
      log.warn({ err: error }, 'background WAL checkpoints stopped; SQLite checkpoints by itself again');
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
    });
  }

  /** Copies what was committed during the worker's checkpoint (a commit or two), so the WAL starts over. */
  private catchUp(result: CheckpointResult): void {
    if (result.busy || result.checkpointed !== result.log || !this.db.open || this.db.inTransaction) return;
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
