/**
 * Group commit: the writes handed in during one turn of the event loop are committed in one transaction, each in
 * its own savepoint, so a write that throws is rolled back alone. A commit costs several statements' worth, so a
 * busy shop pays it once per turn of the event loop instead of once per message and per reply. Each write's
 * promise settles only after the commit: whatever acts on the world waits for it.
 */
import type { Store } from './store.js';

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private queued: Queued[] = [];

  constructor(private readonly store: Store) {}

  /** Runs `work` (synchronous writes) in the next group commit; resolves to its result once committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const batch = this.queued;
    this.queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.store.transaction(() => batch.map(({ work }) => this.attempt(work)));
    } catch (error) {
      batch.forEach((queued) => queued.reject(error));
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
  }

  private attempt(work: () => unknown): Outcome {
    try {
      return { ok: true, value: this.store.transaction(work) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
