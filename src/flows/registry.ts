/**
 * The flows in force. On a change in the flows directory it validates the files and swaps the new flows in
 * only when they are valid; otherwise it logs the problems and keeps serving the last good flows.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import { FlowLoadError, type FlowError } from '../errors.js';
import { isFlowFile, loadFlows } from './load.js';

const SETTLE_MS = 150;

export class FlowRegistry {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(flows: FlowSet) => void> = [];

  private constructor(
    readonly dir: string,
    private flows: FlowSet,
    private readonly log: Logger,
  ) {}

  /** Loads the flows; throws FlowLoadError when they have errors (there is nothing good to fall back on yet). */
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

  /** Reloads now; true when the new flows were taken. */
  reload(): boolean {
    try {
      const { flows, warnings } = loadFlows(this.dir);
      logProblems(this.log, warnings);
      this.flows = flows;
      this.log.info({ flows: flows.flows.size }, 'flows reloaded');
      this.listeners.forEach((listener) => listener(flows));
      return true;
    } catch (error) {
      if (!(error instanceof FlowLoadError)) throw error;
      logProblems(this.log, error.problems);
      this.log.error('the changed flows have errors; the bot keeps using the previous flows');
      return false;
    }
  }

  /** Reloads whenever a flow file changes, once the writes settle. */
  watch(): void {
    this.watcher = watch(this.dir, (_event, name) => {
      if (name && !isFlowFile(name.toString())) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), SETTLE_MS);
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}

export function logProblems(log: Logger, problems: FlowError[]): void {
  for (const problem of problems) {
    if (problem.severity === 'warning') log.warn(problem.message);
    else log.error(problem.message);
  }
}
