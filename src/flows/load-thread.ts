/**
 * Loading the flows off the main thread, for hot reloads: parsing 500 flows takes over half a second, which on
 * the main thread would hold up every customer's message for as long. A worker thread reads, parses, validates
 * and compiles; the main thread only receives the result (a structured clone of the FlowSet: Maps, Sets,
 * RegExps and plain data, about 15 ms for 500 flows) and swaps it in.
 *
 * The worker lives as long as the registry, so it keeps a cache of parsed files and a reload parses only what
 * changed. It never keeps the process alive (unref) and is terminated by close(). Should it fail to start, the
 * load runs on the main thread as before, with a warning.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { FlowSet } from '../core/flow/types.js';
import { FlowError, FlowLoadError } from '../errors.js';
import { loadFlows, type FlowFileCache } from './load.js';

/** A FlowError as plain data: an Error subclass does not survive postMessage (it arrives as a plain Error). */
export interface ProblemData {
  file: string;
  line: number;
  col: number;
  problem: string;
  severity: FlowError['severity'];
}

export interface LoadRequest {
  id: number;
  dir: string;
}

/** What a load came to: flows (with warnings), or the problems that keep the flows from being used. */
export type LoadOutcome =
  | { kind: 'flows'; flows: FlowSet; problems: ProblemData[] }
  | { kind: 'problems'; problems: ProblemData[] }
  /** Something went wrong that is no problem of the files (a bug): the message and stack. */
  | { kind: 'failed'; error: string };

export type LoadReply = { id: number; outcome: LoadOutcome } | { ready: true };

/** Loads a directory as the worker does, as a plain-data outcome; never throws. */
export function loadOutcome(dir: string, cache?: FlowFileCache): LoadOutcome {
  try {
    const { flows, warnings } = loadFlows(dir, cache);
    return { kind: 'flows', flows, problems: warnings.map(problemData) };
  } catch (error) {
    if (error instanceof FlowLoadError) return { kind: 'problems', problems: error.problems.map(problemData) };
    return { kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function problemData({ file, line, col, problem, severity }: FlowError): ProblemData {
  return { file, line, col, problem, severity };
}

export function flowErrors(problems: ProblemData[]): FlowError[] {
  return problems.map(({ file, line, col, problem, severity }) => new FlowError(file, line, col, problem, severity));
}

/** The plain-JS entry that registers tsx in the worker, then imports load-worker.ts (see that file). */
const WORKER_ENTRY = new URL('./load-worker-start.mjs', import.meta.url);
/** A load that takes longer than this is given up (the worker is replaced): a reload must not wait forever. */
const LOAD_TIMEOUT_MS = 60_000;

interface Pending {
  resolve: (outcome: LoadOutcome | undefined) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class FlowLoadThread {
  private worker: Worker | undefined;
  /** The worker said it is ready at least once: a later failure is a crash, not a worker that cannot start. */
  private started = false;
  /** The worker could not start: load on the main thread from now on. */
  private unavailable = false;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly log: Logger,
    private readonly entry: URL = WORKER_ENTRY,
  ) {}

  /**
   * Loads the flows of a directory in the worker. If the worker cannot start, loads them on the main thread
   * (blocking it, as before) rather than not at all; if it crashes, the outcome is 'failed' and the next load
   * starts a new worker. Resolves undefined once closed.
   */
  async load(dir: string): Promise<LoadOutcome | undefined> {
    if (this.closed) return undefined;
    if (!this.unavailable) {
      try {
        return await this.inWorker(dir);
      } catch (error) {
        if (this.closed) return undefined;
        if (!this.unavailable) return { kind: 'failed', error: `the flows loader thread failed: ${(error as Error).message}` };
        this.log.warn({ err: error }, 'the flows loader thread does not start; the flows are loaded on the main thread');
      }
    }
    return loadOutcome(dir);
  }

  /** Whether a worker thread is running (for tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker; loads in progress resolve undefined. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.settleAll(undefined);
    await worker?.terminate();
  }

  private inWorker(dir: string): Promise<LoadOutcome | undefined> {
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failed(worker, new Error(`no answer in ${LOAD_TIMEOUT_MS / 1000} s`));
        void worker.terminate();
      }, LOAD_TIMEOUT_MS).unref();
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, dir } satisfies LoadRequest);
    });
  }

  private spawn(): Worker {
    let worker: Worker;
    try {
      worker = new Worker(this.entry);
    } catch (error) {
      this.unavailable = true;
      throw error;
    }
    worker.unref();
    this.worker = worker;
    worker.on('message', (reply: LoadReply) => {
      if ('ready' in reply) {
        this.started = true;
        return;
      }
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      clearTimeout(pending.timer);
      pending.resolve(reply.outcome);
    });
    worker.on('error', (error) => this.failed(worker, error));
    worker.on('exit', (code) => this.failed(worker, new Error(`it exited (code ${code})`)));
    return worker;
  }

  /** The worker is gone or does not answer: what waits on it fails, and the next load starts a new one. */
  private failed(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!this.started) this.unavailable = true;
    this.settleAll(error);
  }

  private settleAll(error: Error | undefined): void {
    for (const [id, { resolve, reject, timer }] of this.pending) {
      this.pending.delete(id);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(undefined);
    }
  }
}
