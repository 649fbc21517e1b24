/**
 * The flows loader thread (see load-thread.ts): loads the directory it is sent and answers with the outcome as
 * plain data. Its cache of parsed files lives as long as the thread, so a reload parses only changed files.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { FlowFileCache } from './load.js';
import { loadOutcome, type LoadReply, type LoadRequest } from './load-thread.js';

const port = parentPort;
if (!port) throw new Error('load-worker.ts runs as a worker thread (see load-thread.ts)');
const cache = new FlowFileCache();

/**
 * Parsing is background work: on a busy or single-core machine the main thread, which answers customers, should
 * get the CPU first. Linux keeps a nice value per thread, so this lowers only this thread; elsewhere it stays as is.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid !== process.pid) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the normal priority.
  }
}
lowerPriority();

port.on('message', ({ id, dir }: LoadRequest) => {
  const outcome = loadOutcome(dir, cache);
  try {
    port.postMessage({ id, outcome } satisfies LoadReply);
  } catch (error) {
    // Something in the flows that cannot be cloned: a bug to report, not a reason to hang the reload.
    port.postMessage({ id, outcome: { kind: 'failed', error: `the loaded flows cannot be handed over: ${(error as Error).message}` } } satisfies LoadReply);
  }
});
port.postMessage({ ready: true } satisfies LoadReply);
