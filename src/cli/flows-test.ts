/** `setia flows test [paths…]`: runs conversation tests and ends with `N passed, N failed`. */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { findTestFiles, TestRunner } from '../flowtest/runner.js';

export async function flowsTest(paths: string[], flowsDir: string, log: Logger, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const files = findTestFiles(paths.length ? paths : [join(flowsDir, 'tests')]);
  const runner = new TestRunner(flowsDir, log);
  let passed = 0;
  for (const file of files) {
    const outcome = await runner.run(file).catch((error: unknown) => ({
      file,
      name: file,
      passed: false,
      details: [`the test could not run: ${error instanceof Error ? error.message : String(error)}`],
    }));
    if (outcome.passed) passed++;
    out.write(`${outcome.passed ? '✓' : '✗'} ${outcome.name}  (${outcome.file})\n`);
    outcome.details.forEach((line) => out.write(`    ${line}\n`));
  }
  const failed = files.length - passed;
  out.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || files.length === 0 ? 1 : 0;
}
