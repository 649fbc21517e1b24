/** Shared by the reliability tests: the count reports each test prints, free ports, a private redis-server. */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import type { FlowSet } from '../../src/core/flow/types.js';
import { flowsFrom } from '../helpers/engine.js';
import { redisAnswers } from '../../src/checkins/private-redis.js';

/**
 * Prints what a test tried and what held, as counts, in one block on stdout (collected by docs/reliability.md).
 * Written straight to stdout so Jest does not wrap each line in a console stack trace.
 */
export function report(title: string, counts: Record<string, string | number | boolean>): void {
  const width = Math.max(...Object.keys(counts).map((key) => key.length));
  const lines = Object.entries(counts).map(([key, value]) => `    ${key.padEnd(width)}  ${value}`);
  process.stdout.write(`\n[reliability] ${title}\n${lines.join('\n')}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; fails with `what` after `timeoutMs` (a deadline for progress, not a speed assertion). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(everyMs);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The seed of this run: RELIABILITY_SEED to repeat one, else a fresh one (printed by every test that uses it). */
export function runSeed(): number {
  const fixed = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fixed) && fixed > 0 ? fixed : Math.floor(Math.random() * 2 ** 31) + 1;
}

/**
 * A private, throw-away redis-server on its own TCP port (never the shared one on 6379), that can be stopped and
 * started again on the same port and files, like an operator restarting Redis.
 */
export class PrivateRedisServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly extraArgs: string[] = [],
  ) {}

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--maxmemory-policy', 'noeviction', ...this.extraArgs];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    await until(`redis-server answers on port ${this.port}`, () => this.answers(), 10_000, 50);
  }

  /** Stops it hard (SIGKILL): whatever it had not written to its files is gone, as in a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  private answers(): Promise<boolean> {
    const password = this.extraArgs.includes('--requirepass') ? this.extraArgs[this.extraArgs.indexOf('--requirepass') + 1] : undefined;
    return redisAnswers({ port: this.port, host: '127.0.0.1', password });
  }
}

/** `setia start` in a child process, its stdout and stderr collected. */
export class Bot {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [resolve('bin/setia.js'), 'start'], { cwd, env: { ...process.env, LOG_FORMAT: 'json', WEB_PORT: '0', ...env } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  /** Waits until a line from `from` on matches; returns the output length at that moment. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 30_000): Promise<number> {
    await until(`the bot logs ${pattern}`, () => pattern.test(this.output.slice(from)), timeoutMs, 50).catch((error: Error) => {
      throw new Error(`${error.message}; output so far:\n${this.output.slice(-3_000)}`);
    });
    return this.output.length;
  }

  /** SIGTERM, and SIGKILL if it has not exited `graceMs` later (resolves with null then). */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  get lines(): number {
    return this.output.split('\n').filter(Boolean).length;
  }
}

/** The outage tests' shop: everyone tagged loyal is due a check-in, sent at `maxPerMinute`; every message is echoed. */
export function outageFlows(maxPerMinute: number): FlowSet {
  return flowsFrom(`
settings:
  checkins: { send_window: "00:00-24:00", days: [daily], max_per_minute: ${maxPerMinute}, min_gap: 1d }
checkins:
  monthly: { who: { tag: loyal }, every: 30d, flow: hello }
fallback: echo
flows:
  echo: { steps: [ { say: "balasan untuk {{message.text}}" } ] }
  hello: { steps: [ { say: "Halo {{customer.name}}, apa kabar?" } ] }
`);
}
