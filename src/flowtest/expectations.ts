/** Comparing what the bot sent in a turn with what a conversation test expects, as readable lines. */
import { compileRegex, isRegexLiteral } from '../core/flow/regex.js';
import { fold } from '../core/text/normalize.js';
import type { CustomerRecord } from '../store/customers.js';
import type { TurnData } from './format.js';

/** One bot message against one expectation: a case-insensitive part of it, or "/regex/flags". */
export function matches(expected: string, actual: string): boolean {
  if (isRegexLiteral(expected)) return compileRegex(expected).test(actual);
  return fold(actual).includes(fold(expected));
}

function show(text: string): string {
  return text.replace(/\n/g, ' ⏎ ');
}

/** Lines describing every bot message, or [] when all match. */
export function compareBot(expected: string[], actual: string[]): string[] {
  const ok = expected.length === actual.length && expected.every((e, i) => matches(e, actual[i]!));
  if (ok) return [];
  const lines = [`expected ${expected.length} bot message(s), got ${actual.length}:`];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (want === undefined) lines.push(`  ✗ ${i + 1}. unexpected: ${show(got!)}`);
    else if (got === undefined) lines.push(`  ✗ ${i + 1}. expected "${want}"`, '       got: (no message)');
    else lines.push(`  ${matches(want, got) ? '✓' : '✗'} ${i + 1}. expected "${want}"`, `       got: ${show(got)}`);
  }
  return lines;
}

export interface Observed {
  bot: string[];
  escalated: boolean;
  customer: CustomerRecord;
}

/** Every assertion of a turn that does not hold, as lines; [] when the turn passes. */
export function checkTurn(turn: TurnData, seen: Observed): string[] {
  const problems: string[] = [];
  if (turn.bot) problems.push(...compareBot(turn.bot, seen.bot));
  if (turn.escalated !== undefined && turn.escalated !== seen.escalated) {
    problems.push(`expected the conversation ${turn.escalated ? 'to be' : 'not to be'} escalated to staff`);
  }
  for (const [name, value] of Object.entries(turn.vars ?? {})) {
    const actual = seen.customer.vars[name];
    if (actual !== String(value)) problems.push(`expected variable ${name} = "${String(value)}", got ${actual === undefined ? '(not set)' : `"${actual}"`}`);
  }
  for (const tag of turn.tags ?? []) {
    if (!seen.customer.tags.includes(tag)) problems.push(`expected tag "${tag}"; the customer has: ${seen.customer.tags.join(', ') || '(no tags)'}`);
  }
  for (const [name, value] of Object.entries(turn.counters ?? {})) {
    const actual = seen.customer.counters[name] ?? 0;
    if (actual !== value) problems.push(`expected counter ${name} = ${value}, got ${actual}`);
  }
  if (turn.opted_out !== undefined && turn.opted_out !== seen.customer.optedOut) {
    problems.push(`expected the customer ${turn.opted_out ? 'to be' : 'not to be'} opted out`);
  }
  return problems;
}
