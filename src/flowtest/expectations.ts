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

/**
 * Which bot message each expectation matched, in order: each entry must match a later message than the one
 * before it; messages no entry names are allowed in between. -1 for an entry that matched nothing.
 */
function assign(expected: string[], actual: string[]): number[] {
  let next = 0;
  return expected.map((want) => {
    const found = actual.findIndex((got, i) => i >= next && matches(want, got));
    if (found >= 0) next = found + 1;
    return found;
  });
}

/** Lines describing the mismatch, or [] when every expectation found its message (and [] meant none). */
export function compareBot(expected: string[], actual: string[]): string[] {
  const found = assign(expected, actual);
  const ok = expected.length === 0 ? actual.length === 0 : found.every((i) => i >= 0);
  if (ok) return [];
  const lines = expected.length ? ['expected bot messages, in order:'] : ['expected no bot message'];
  expected.forEach((want, i) => lines.push(`  ${found[i]! >= 0 ? '✓' : '✗'} "${want}"${found[i]! >= 0 ? ` (message ${found[i]! + 1})` : ''}`));
  lines.push(actual.length ? 'the bot sent:' : 'the bot sent nothing');
  actual.forEach((got, i) => lines.push(`  ${i + 1}. ${show(got)}`));
  return lines;
}

export interface Observed {
  bot: string[];
  /** The flows the turn started, in order. */
  started: string[];
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
  if (turn.flow !== undefined && seen.started[0] !== turn.flow) {
    problems.push(`expected flow "${turn.flow}" to start; ${seen.started.length ? `started: ${seen.started.join(' → ')}` : 'no flow started'}`);
  }
  if (turn.opted_out !== undefined && turn.opted_out !== seen.customer.optedOut) {
    problems.push(`expected the customer ${turn.opted_out ? 'to be' : 'not to be'} opted out`);
  }
  return problems;
}
