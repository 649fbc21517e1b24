/**
 * Fills the search index off the hot path: every second, the messages stored since the last batch are indexed
 * in one short transaction (see SearchStore.indexBatch). While far behind (a database from before search, or
 * after a long stop) batches follow each other with a short pause, so replies keep their turn. The position is
 * saved with each batch, so a crash costs nothing but the batch in hand.
 */
import type { Logger } from 'pino';
import type { SearchStore } from './search.js';

export interface IndexerOptions {
  /** Messages per transaction: 1–11 ms of work here, fresh or catching up (bench/search.ts). */
  batch?: number;
  /** Between batches once caught up. */
  idleMs?: number;
  /** Between batches while catching up: the pipeline keeps about two thirds of the main thread. */
  busyMs?: number;
}

const DEFAULTS: Required<IndexerOptions> = { batch: 1_000, idleMs: 1_000, busyMs: 20 };

export class SearchIndexer {
  private readonly options: Required<IndexerOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly search: SearchStore, private readonly log: Pick<Logger, 'error' | 'info'>, options: IndexerOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Indexes everything stored so far, batch after batch; the number of messages indexed. */
  catchUp(): number {
    let total = 0;
    for (let done = this.search.indexBatch(this.options.batch); done > 0; done = this.search.indexBatch(this.options.batch)) total += done;
    return total;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const behind = this.search.backlog();
    if (behind > this.options.batch) this.log.info({ messages: behind }, 'search: indexing earlier messages in the background');
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.running) this.timer = setTimeout(() => this.runBatch(), ms).unref();
  }

  private runBatch(): void {
    try {
      const done = this.search.indexBatch(this.options.batch);
      this.schedule(done >= this.options.batch ? this.options.busyMs : this.options.idleMs);
    } catch (error) {
      // Search falls behind, replies do not: the next batch tries again.
      this.log.error({ err: error }, 'search: indexing messages failed');
      this.schedule(this.options.idleMs);
    }
  }
}
