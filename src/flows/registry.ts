/**
 * The flows in force. On a change in the flows directory it validates the files and swaps the new flows in
 * only when they are valid; otherwise it logs the problems and keeps serving the last good flows.
 *
 * Reloads load and compile in a worker thread (load-thread.ts), so a large set of flows never holds up the
 * messages being handled meanwhile; only the swap happens on the main thread. Reloads never overlap: a change
 * during a reload is read by another reload right after it.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import type { FlowError } from '../errors.js';
import { DEFAULT_CATALOG } from '../catalog/load.js';
import { isFlowFile, loadFlows, shopRootOf } from './load.js';
import { FlowLoadThread, flowErrors } from './load-thread.js';

const SETTLE_MS = 150;

export class FlowRegistry {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(flows: FlowSet) => void> = [];
  private readonly loader: FlowLoadThread;
  /** The reload in progress, and the one asked for while it runs. */
  private running: Promise<boolean> | undefined;
  private queued: Promise<boolean> | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private flows: FlowSet,
    private readonly log: Logger,
  ) {
    this.loader = new FlowLoadThread(log);
  }

  /**
   * Loads the flows, on the calling thread (start-up has nothing to serve yet); throws FlowLoadError when they
   * have errors (there is nothing good to fall back on yet).
   */
  static load(dir: string, log: Logger): FlowRegistry {
    const { flows, warnings } = loadFlows(dir);
    logProblems(log, warnings);
    return new FlowRegistry(dir, flows, log);
  }

  current(): FlowSet {
    return this.flows;
  }

  /** Called with the new flows after each successful reload. */
  onReload(listener: (flows: FlowSet) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Reloads in the loader thread and swaps the new flows in; resolves true when they were taken. Called while a
   * reload runs, it reloads once more after that one (calls meanwhile share that second reload).
   */
  reload(): Promise<boolean> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running.then(() => {
        this.queued = undefined;
        return this.reload();
      });
      return this.queued;
    }
    const running = this.reloadOnce().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  /** Resolves once no reload is waiting for the files to settle, running, or queued. */
  async settled(): Promise<void> {
    while (this.timer !== undefined || this.running || this.queued) {
      await (this.queued ?? this.running ?? new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS / 3)));
    }
  }

  private async reloadOnce(): Promise<boolean> {
    const outcome = await this.loader.load(this.dir);
    // Receiving the flows (their structured clone) took a task of the event loop. The swap and the listeners'
    // work (re-planning customers) wait for the next round of timers, so the two never add up to one long block.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!outcome || this.closed) return false;
    if (outcome.kind === 'failed') {
      this.log.error({ error: outcome.error }, 'the flows could not be reloaded; the bot keeps using the previous flows');
      return false;
    }
    logProblems(this.log, flowErrors(outcome.problems));
    if (outcome.kind === 'problems') {
      this.log.error('the changed flows have errors; the bot keeps using the previous flows');
      return false;
    }
    this.flows = outcome.flows;
    this.log.info({ flows: outcome.flows.flows.size }, 'flows reloaded');
    for (const listener of this.listeners) {
      try {
        listener(outcome.flows);
      } catch (error) {
        this.log.error({ err: error }, 'a listener to flow reloads failed');
      }
    }
    return true;
  }

  /** Reloads whenever a flow file or the catalogue changes, once the writes settle. */
  watch(): void {
    this.watchers.push(watch(this.dir, (_event, name) => {
      if (!name || isFlowFile(name.toString())) this.reloadSoon();
    }));
    // The folder of the catalogue the flows name, when it exists (a shop without one may add it later to data/).
    const catalog = resolve(shopRootOf(this.dir), (this.flows.settings.raw.catalog as string | undefined) ?? DEFAULT_CATALOG);
    if (existsSync(dirname(catalog))) {
      this.watchers.push(watch(dirname(catalog), (_event, name) => {
        if (!name || name.toString() === basename(catalog)) this.reloadSoon();
      }));
    }
  }

  private reloadSoon(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, SETTLE_MS);
  }

  /** Stops watching and stops the loader thread; a reload in progress is not taken. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const watcher of this.watchers) watcher.close();
    return this.loader.close();
  }

  /** Whether the loader thread is running (for tests). */
  get loaderRunning(): boolean {
    return this.loader.running;
  }
}

export function logProblems(log: Logger, problems: FlowError[]): void {
  for (const problem of problems) {
    if (problem.severity === 'warning') log.warn(problem.message);
    else log.error(problem.message);
  }
}
