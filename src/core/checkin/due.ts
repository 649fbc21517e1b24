/**
 * Due-ness: whether a customer is due a check-in now, by which rule, or when they next will be and why not now.
 * Pure; used by the sweep, the send worker, `setia flows test` and `setia checkins preview`.
 */
import { evaluate } from '../flow/conditions.js';
import { isOpen, nextOpening } from '../flow/hours.js';
import { patience } from '../flow/patience.js';
import type { Conversation, Customer, FlowSet } from '../flow/types.js';
import type { CheckinRule } from './types.js';

/** Check-ins that fall due while the window is shut are spread over this much time after it opens. */
export const OPENING_SPREAD_MS = 60 * 60_000;

/** What due-ness looks at, as the store holds it. */
export interface CheckinSubject {
  customer: Customer;
  /** When the customer last wrote to the shop; null if never. */
  wroteAt: number | null;
  imported: boolean;
  /** The last message in either direction; a check-in counts. */
  lastContactAt: number | null;
  conversation: Conversation | null;
  /** When each rule last checked in with this customer. */
  sentAt: Record<string, number>;
  /** When the customer came to match each `after` rule's `who`. */
  matchedAt: Record<string, number>;
}

export type Dueness =
  | { due: true; rule: CheckinRule; cycle: string }
  | { due: false; nextAt: number | null; reason: string; rule?: CheckinRule };

type CheckinFlows = Pick<FlowSet, 'settings' | 'checkins'>;

function matches(rule: CheckinRule, customer: Customer): boolean {
  return evaluate(rule.who, { customer, openNow: true });
}

/** The `after` rules' match times, updated: a rule starts counting when the customer first matches it. */
export function trackMatches(subject: CheckinSubject, flows: CheckinFlows, now: number): Record<string, number> {
  const tracked: Record<string, number> = {};
  for (const rule of flows.checkins.rules) {
    if (rule.afterMs === undefined || !matches(rule, subject.customer)) continue;
    tracked[rule.name] = subject.matchedAt[rule.name] ?? now;
  }
  return tracked;
}

/** Why the customer is never checked in with as things stand, or undefined. */
function excluded(subject: CheckinSubject, flows: CheckinFlows): string | undefined {
  if (!flows.checkins.rules.length) return 'no check-in rules';
  if (subject.customer.optedOut) return 'opted out';
  if (subject.wroteAt === null && !(subject.imported && flows.checkins.settings.allowImported)) return 'never wrote to the shop';
  if (subject.conversation?.escalated) return 'with staff';
  return undefined;
}

/** Until when the customer must not be interrupted: a person writing from the shop's phone, or a question pending. */
function busyUntil(subject: CheckinSubject, flows: CheckinFlows, now: number): { until: number; reason: string } | undefined {
  const conversation = subject.conversation;
  if (!conversation) return undefined;
  if (conversation.pausedUntil !== null && conversation.pausedUntil > now) return { until: conversation.pausedUntil, reason: 'a person is writing from the shop phone' };
  const expires = conversation.lastActivityAt + patience(flows, conversation.waiting);
  if (conversation.waiting && expires > now) return { until: expires, reason: 'in the middle of a flow' };
  return undefined;
}

/** When a rule falls due by its own cadence, and the cycle that names this occurrence; undefined if never again. */
function ruleDue(rule: CheckinRule, subject: CheckinSubject): { at: number; cycle: string } | undefined {
  if (rule.everyMs !== undefined) {
    const since = subject.lastContactAt ?? 0;
    return { at: since + rule.everyMs, cycle: String(since) };
  }
  const matchedAt = subject.matchedAt[rule.name];
  if (matchedAt === undefined || subject.sentAt[rule.name] !== undefined) return undefined;
  return { at: matchedAt + rule.afterMs!, cycle: 'once' };
}

/** A stable spread in [0, OPENING_SPREAD_MS) per customer and cycle, so openings do not fire everyone at once. */
function jitter(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (hash / 2 ** 32) * OPENING_SPREAD_MS;
}

/** The first moment at or after `at` inside the send window, spread by `key` when it has to wait for an opening. */
function inWindow(at: number, key: string, flows: CheckinFlows): number | null {
  const { window } = flows.checkins.settings;
  const zone = flows.settings.timezone;
  if (isOpen(window, zone, at)) return at;
  const opening = nextOpening(window, zone, at);
  if (!opening) return null;
  const spread = opening.valueOf() + jitter(key);
  return isOpen(window, zone, spread) ? spread : opening.valueOf();
}

export function dueness(subject: CheckinSubject, flows: CheckinFlows, now: number): Dueness {
  const reason = excluded(subject, flows);
  if (reason) return { due: false, nextAt: null, reason };
  const busy = busyUntil(subject, flows, now);
  const lastSent = Math.max(-Infinity, ...Object.values(subject.sentAt));
  let best: { rule: CheckinRule; cycle: string; at: number } | undefined;
  for (const rule of flows.checkins.rules) {
    if (!matches(rule, subject.customer)) continue;
    const own = ruleDue(rule, subject);
    if (!own) continue;
    const earliest = Math.max(own.at, lastSent + flows.checkins.settings.minGapMs, busy?.until ?? -Infinity);
    const at = inWindow(Math.max(earliest, now), `${subject.customer.id}|${rule.name}|${own.cycle}`, flows);
    if (at !== null && (!best || at < best.at)) best = { rule, cycle: own.cycle, at };
  }
  if (!best) return { due: false, nextAt: null, reason: busy?.reason ?? 'no rule applies' };
  if (best.at <= now) return { due: true, rule: best.rule, cycle: best.cycle };
  return { due: false, nextAt: best.at, reason: waitReason(best, subject, flows, now, busy), rule: best.rule };
}

function waitReason(best: { rule: CheckinRule }, subject: CheckinSubject, flows: CheckinFlows, now: number, busy?: { reason: string }): string {
  if (busy) return busy.reason;
  const own = ruleDue(best.rule, subject)!;
  const lastSent = Math.max(-Infinity, ...Object.values(subject.sentAt));
  if (lastSent + flows.checkins.settings.minGapMs > Math.max(own.at, now)) return 'checked in recently (min_gap)';
  return own.at > now ? `not yet due (${best.rule.name})` : 'outside the send window';
}

/** The BullMQ job id of one check-in: the same customer, rule and cycle always give the same id (no ":" allowed). */
export function checkinJobId(customerRowId: number, rule: string, cycle: string): string {
  return `checkin-${customerRowId}-${rule}-${cycle}`;
}
