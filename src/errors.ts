/**
 * Every error Setia raises on purpose, in one place. Each carries the context a person needs to act on it;
 * none of them is meant to be shown with a stack trace.
 */

export class SetiaError extends Error {
  override name = 'SetiaError';
}

/** An invalid configuration value: names the variable and what is expected. */
export class ConfigError extends SetiaError {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got?: string,
  ) {
    super(`${variable}: expected ${expected}${got === undefined ? '' : ` (got "${got}")`}`);
  }
}

export type Severity = 'error' | 'warning';

/** One problem in an owner's YAML file, pointing at the offending key or value. */
export class FlowError extends SetiaError {
  override name = 'FlowError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly problem: string,
    readonly severity: Severity = 'error',
  ) {
    // One problem, one line: values quoted in a message may span lines in the file. Column 0: a whole line (a CSV row).
    super(`${file}:${line}${col > 0 ? `:${col}` : ''}: ${severity === 'warning' ? 'warning: ' : ''}${problem.replace(/\r?\n/g, '\\n')}`);
  }
}

/** A set of flow files that cannot be used: carries every problem found, warnings included. */
export class FlowLoadError extends SetiaError {
  override name = 'FlowLoadError';
  constructor(readonly problems: FlowError[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

/** Another process already uses this database (two bots on one account would fight). */
export class StoreLockedError extends SetiaError {
  override name = 'StoreLockedError';
}

/** A message that can never be delivered as it is (WhatsApp refuses the chat, or the number is invalid): not retried. */
export class PermanentSendError extends SetiaError {
  override name = 'PermanentSendError';
}

/** A customer file cannot be imported at all: unreadable, empty, or without a phone column. */
export class CustomerFileError extends SetiaError {
  override name = 'CustomerFileError';
}
