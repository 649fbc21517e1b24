/** Crash tests: run a fixture process until it prints `SENDING <message id>`, then SIGKILL it without warning. */
import { spawn } from 'node:child_process';

/** Resolves with the id of the message the fixture was sending when it was killed. */
export function killWhileSending(fixture: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args]);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const sending = /SENDING (\S+)/.exec(output);
      if (sending) {
        child.kill('SIGKILL');
        resolve(sending[1]!);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`${fixture} exited (${code}) before sending: ${output}`)));
  });
}
