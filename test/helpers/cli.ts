/** Runs the real `setia` command in a child process, as an owner would. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const SETIA = resolve('bin/setia.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function setia(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [SETIA, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, LOG_LEVEL: '', LOG_FORMAT: 'json', ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A long-running `setia` process whose output can be awaited line by line. */
export class CliSession {
  readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(args: string[], cwd: string, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [SETIA, ...args], { cwd, env: { ...process.env, LOG_LEVEL: '', LOG_FORMAT: 'json', ...env } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  /** Waits until the output (from `from` on) matches; returns the index just past the match. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output.slice(from));
      if (match) return from + match.index + match[0].length;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Everything printed so far. */
  get text(): string {
    return this.output;
  }

  get length(): number {
    return this.output.length;
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Ends the input and resolves with the exit code (also when the process has exited already). */
  close(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}
