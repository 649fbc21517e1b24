/**
 * Due-ness: whether a customer is due a check-in now, by which rule, or when they next will be and why not now.
 * Pure; used by the sweep, the send worker, `setia flows test` and `setia checkins preview`.
 */
import { evaluate } from '../flow/conditions.js';
import { isOpen, nextOpening } from '../flow/hours.js';
import { patience } from '../flow/patience.js';
import type { Conversation, Customer, FlowSet } from '../flow/types.js';
import type { CheckinRule } from './types.js';

/**
 * Check-ins that fall due while the window is shut are spread over this much time after it opens. Flow tests
 * and the chat simulator use 0, so that a test can expect the check-in right at the opening.
 */
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

/**
 * Until when the customer must not be interrupted: a person writing from the shop's phone, a question pending,
 * or a conversation going on (a contact within idle_reset).
 */
function busyUntil(subject: CheckinSubject, flows: CheckinFlows, now: number): { until: number; reason: string } | undefined {
  const conversation = subject.conversation;
  const chatting = (subject.lastContactAt ?? -Infinity) + flows.settings.idleResetMs;
  const talking = chatting > now ? { until: chatting, reason: 'in a conversation right now' } : undefined;
  if (!conversation) return talking;
  if (conversation.pausedUntil !== null && conversation.pausedUntil > now) return { until: conversation.pausedUntil, reason: 'a person is writing from the shop phone' };
  const expires = conversation.lastActivityAt + patience(flows, conversation.waiting);
  if (conversation.waiting && expires > now) return { until: expires, reason: 'in the middle of a flow' };
  return talking;
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

/** A stable fraction in [0, 1) per customer and cycle, so openings do not fire everyone at once. */
function jitter(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 2 ** 32;
}

/** The first moment at or after `at` inside the send window, and whether it had to wait for an opening. */
function inWindow(at: number, flows: CheckinFlows): { at: number; opening: boolean } | null {
  const { window } = flows.checkins.settings;
  const zone = flows.settings.timezone;
  if (isOpen(window, zone, at)) return { at, opening: false };
  const opening = nextOpening(window, zone, at);
  return opening && { at: opening.valueOf(), opening: true };
}

/** An opening's check-ins spread over its first `spreadMs` by `key`, staying inside the window. */
function spread(at: number, key: string, flows: CheckinFlows, spreadMs: number): number {
  const spreadAt = at + Math.floor(jitter(key) * spreadMs);
  return isOpen(flows.checkins.settings.window, flows.settings.timezone, spreadAt) ? spreadAt : at;
}

export function dueness(subject: CheckinSubject, flows: CheckinFlows, now: number, spreadMs = OPENING_SPREAD_MS): Dueness {
  const reason = excluded(subject, flows);
  if (reason) return { due: false, nextAt: null, reason };
  const busy = busyUntil(subject, flows, now);
  const lastSent = Math.max(-Infinity, ...Object.values(subject.sentAt));
  // The earliest rule wins, the first written on a tie; only then is an opening spread, so the order holds.
  let best: { rule: CheckinRule; cycle: string; at: number; opening: boolean } | undefined;
  for (const rule of flows.checkins.rules) {
    if (!matches(rule, subject.customer)) continue;
    const own = ruleDue(rule, subject);
    if (!own) continue;
    const earliest = Math.max(own.at, lastSent + flows.checkins.settings.minGapMs, busy?.until ?? -Infinity, now);
    const slot = inWindow(earliest, flows);
    if (slot && (!best || slot.at < best.at)) best = { rule, cycle: own.cycle, ...slot };
  }
  if (!best) return { due: false, nextAt: null, reason: busy?.reason ?? 'no rule applies' };
  const at = best.opening ? spread(best.at, `${subject.customer.id}|${best.rule.name}|${best.cycle}`, flows, spreadMs) : best.at;
  if (at <= now) return { due: true, rule: best.rule, cycle: best.cycle };
  return { due: false, nextAt: at, reason: waitReason(best, subject, flows, now, busy), rule: best.rule };
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
