/**
 * Due-ness of check-ins as an owner sees it: who hears from the shop, when, by which rule, and why not now.
 * Pure: subjects are written out by hand, the clock is passed in.
 */
import { describe, expect, it } from '@jest/globals';
import { checkinJobId, dueness, OPENING_SPREAD_MS, trackMatches, type CheckinSubject } from '../../../src/core/checkin/due.js';
import { LOYAL_TAG, withLoyalty } from '../../../src/core/checkin/loyalty.js';
import { checkIn, step } from '../../../src/core/flow/engine.js';
import type { Conversation, Customer, FlowSet, Waiting } from '../../../src/core/flow/types.js';
import { flowsFrom, MONDAY_10AM } from '../../helpers/engine.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Shop-local (Jakarta) moments around MONDAY_10AM (Monday 23 November 2026). */
const jakarta = (local: string): number => Date.parse(`${local}+07:00`);
const SUNDAY_10AM = jakarta('2026-11-29T10:00:00');

interface ShopOptions {
  checkins?: string;
  settings?: string;
  rules?: string;
}

const DEFAULT_CHECKIN_SETTINGS = `
    send_window: "09:00-19:00"
    days: [mon, tue, wed, thu, fri, sat]
    max_per_minute: 6
    min_gap: 7d
    answer_window: 3d
    allow_imported: false`;

const DEFAULT_RULES = `
  loyal_monthly:
    who: { tag: loyal }
    every: 30d
    flow: checkin_satisfaction
  first_order_thanks:
    who: { counter: orders, equals: 1 }
    after: 3d
    flow: thanks_first_order`;

/** The shop of the brief: a monthly check-in with loyal customers, a thank-you after the first order. */
function shop(options: ShopOptions = {}): FlowSet {
  return flowsFrom(`
settings:
  loyal_when: { counter: orders, gte: 3 }
  idle_reset: 30m${options.settings ?? ''}
  checkins:${options.checkins ?? DEFAULT_CHECKIN_SETTINGS}
checkins:${options.rules ?? DEFAULT_RULES}
fallback: menu
flows:
  menu: { steps: [ { say: "Halo! Ketik pesan untuk memesan." } ] }
  order:
    triggers: [pesan]
    steps:
      - { ask: "Mau pesan apa?", save: item }
      - count: orders
      - say: "Pesanan {{item}} dicatat."
  checkin_satisfaction:
    steps:
      - menu: "Halo Kak, bagaimana pesanan terakhirnya?"
        options: [ { label: Puas }, { label: Kurang } ]
      - say: "Terima kasih atas jawabannya!"
  thanks_first_order:
    steps: [ { say: "Terima kasih sudah belanja pertama kali!" } ]
`);
}

const FLOWS = shop();

function customer(over: Partial<Customer> = {}): Customer {
  return { id: '628111@s.whatsapp.net', name: 'Budi', phone: '628111', tags: [LOYAL_TAG], counters: { orders: 5 }, vars: {}, optedOut: false, ...over };
}

/** A loyal customer who last wrote (and last heard from the shop) `quietFor` before MONDAY_10AM. */
function subject(over: Partial<CheckinSubject> = {}, quietFor = 40 * DAY): CheckinSubject {
  return {
    customer: customer(),
    wroteAt: MONDAY_10AM - quietFor,
    imported: false,
    lastContactAt: MONDAY_10AM - quietFor,
    conversation: null,
    sentAt: {},
    matchedAt: {},
    ...over,
  };
}

/** A new customer after their first order, who came to match `first_order_thanks` at `matchedAt`. */
function firstTimer(matchedAt: number, over: Partial<CheckinSubject> = {}): CheckinSubject {
  return subject({ customer: customer({ tags: [], counters: { orders: 1 } }), lastContactAt: matchedAt, wroteAt: matchedAt, matchedAt: { first_order_thanks: matchedAt }, ...over });
}

/** A question pending at the start of `flow`; `checkin` when a check-in started the conversation. */
function waitingIn(flows: FlowSet, flow: string, checkin = false): Waiting {
  const current = flows.flows.get(flow)!;
  const first = current.steps[0] as { menu?: unknown };
  return { kind: first.menu === undefined ? 'ask' : 'menu', flow, path: [0], flowVersion: current.version, stepKey: 'x', retries: 0, ...(checkin && { checkin }) };
}

function conversation(over: Partial<Conversation>): Conversation {
  return { waiting: null, escalated: false, pausedUntil: null, lastActivityAt: MONDAY_10AM - HOUR, ...over };
}

/** The shop-local clock time of a moment, "HH:mm", and its weekday (0 = Sunday). */
function local(at: number): { day: number; time: string; minutes: number } {
  const shifted = new Date(at + 7 * HOUR);
  const minutes = shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
  return { day: shifted.getUTCDay(), time: shifted.toISOString().slice(11, 16), minutes };
}

function nextAt(verdict: ReturnType<typeof dueness>): number {
  if (verdict.due) throw new Error(`expected "not due", got due by ${verdict.rule.name}`);
  if (verdict.nextAt === null) throw new Error(`expected a next time, got none (${verdict.reason})`);
  return verdict.nextAt;
}

describe('the monthly check-in (every: 30d)', () => {
  it('falls due exactly 30 days after the last contact, and not a minute before', () => {
    const quiet = subject({}, 30 * DAY);
    expect(dueness(quiet, FLOWS, MONDAY_10AM)).toEqual({ due: true, rule: expect.objectContaining({ name: 'loyal_monthly', flow: 'checkin_satisfaction' }), cycle: String(quiet.lastContactAt) });
    const early = dueness(quiet, FLOWS, MONDAY_10AM - MINUTE);
    expect(early).toEqual({ due: false, nextAt: MONDAY_10AM, reason: 'not yet due (loyal_monthly)', rule: expect.objectContaining({ name: 'loyal_monthly' }) });
  });

  it('recurs: the check-in itself is a contact, so the next one is 30 days after it, in a new cycle', () => {
    const justSent = subject({ lastContactAt: MONDAY_10AM, sentAt: { loyal_monthly: MONDAY_10AM } });
    const verdict = dueness(justSent, FLOWS, MONDAY_10AM + MINUTE);
    expect(nextAt(verdict)).toBe(MONDAY_10AM + 30 * DAY); // Wednesday 23 December, 10:00: inside the window
    const then = dueness(justSent, FLOWS, MONDAY_10AM + 30 * DAY);
    expect(then).toMatchObject({ due: true, rule: { name: 'loyal_monthly' }, cycle: String(MONDAY_10AM) });
    expect(then.due && then.cycle).not.toBe(String(MONDAY_10AM - 40 * DAY));
  });

  it('waits for a customer who wrote recently, counting from the last message in either direction', () => {
    expect(nextAt(dueness(subject({ lastContactAt: MONDAY_10AM - 2 * DAY }), FLOWS, MONDAY_10AM))).toBe(MONDAY_10AM + 28 * DAY);
  });

  it('does not apply to customers the rule is not for', () => {
    expect(dueness(subject({ customer: customer({ tags: [] }) }), FLOWS, MONDAY_10AM)).toEqual({ due: false, nextAt: null, reason: 'no rule applies' });
  });
});

describe('who is never checked in with', () => {
  it('customers who opted out, never wrote, or are with staff: not due, with a reason and no next time', () => {
    const cases: Array<[CheckinSubject, string]> = [
      [subject({ customer: customer({ optedOut: true }) }), 'opted out'],
      [subject({ wroteAt: null }), 'never wrote to the shop'],
      [subject({ wroteAt: null, imported: true }), 'never wrote to the shop'],
      [subject({ conversation: conversation({ escalated: true }) }), 'with staff'],
    ];
    for (const [who, reason] of cases) expect(dueness(who, FLOWS, MONDAY_10AM)).toEqual({ due: false, nextAt: null, reason });
  });

  it('imported customers who never wrote, only with allow_imported: true, and then at once', () => {
    const imported = subject({ wroteAt: null, imported: true, lastContactAt: null });
    const allowing = shop({ checkins: '\n    allow_imported: true' });
    expect(dueness(imported, allowing, MONDAY_10AM)).toMatchObject({ due: true, rule: { name: 'loyal_monthly' } });
    // Not an import: allow_imported does not let the shop write first to strangers.
    expect(dueness({ ...imported, imported: false }, allowing, MONDAY_10AM)).toEqual({ due: false, nextAt: null, reason: 'never wrote to the shop' });
  });

  it('a flow set without rules checks in with nobody', () => {
    expect(dueness(subject(), shop({ rules: ' {}' }), MONDAY_10AM)).toEqual({ due: false, nextAt: null, reason: 'no check-in rules' });
  });
});

describe('not interrupting', () => {
  it('while a person writes from the shop phone, waits until the pause ends', () => {
    const pausedUntil = MONDAY_10AM + 2 * HOUR;
    const verdict = dueness(subject({ conversation: conversation({ pausedUntil }) }), FLOWS, MONDAY_10AM);
    expect(verdict).toMatchObject({ due: false, nextAt: pausedUntil, reason: 'a person is writing from the shop phone' });
    expect(dueness(subject({ conversation: conversation({ pausedUntil }) }), FLOWS, pausedUntil)).toMatchObject({ due: true });
  });

  it('a pause that ends after the window waits for the next opening', () => {
    const pausedUntil = jakarta('2026-11-23T19:30:00');
    const at = nextAt(dueness(subject({ conversation: conversation({ pausedUntil }) }), FLOWS, MONDAY_10AM));
    expect(at).toBeGreaterThanOrEqual(jakarta('2026-11-24T09:00:00'));
    expect(at).toBeLessThan(jakarta('2026-11-24T10:00:00'));
  });

  it('a question of an ordinary flow postpones the check-in until it expires (idle_reset)', () => {
    const lastActivityAt = MONDAY_10AM - 10 * MINUTE;
    const ordering = subject({ conversation: conversation({ waiting: waitingIn(FLOWS, 'order'), lastActivityAt }) });
    expect(dueness(ordering, FLOWS, MONDAY_10AM)).toMatchObject({ due: false, nextAt: lastActivityAt + 30 * MINUTE, reason: 'in the middle of a flow' });
    expect(dueness(ordering, FLOWS, lastActivityAt + 30 * MINUTE)).toMatchObject({ due: true, rule: { name: 'loyal_monthly' } });
  });

  it("a check-in flow's question postpones other check-ins until answer_window has passed", () => {
    // Yesterday's monthly check-in is unanswered; the thank-you rule (due since last week) waits for it.
    const flows = shop({ checkins: '\n    min_gap: 1h\n    answer_window: 3d' });
    const yesterday = MONDAY_10AM - DAY;
    const who = firstTimer(MONDAY_10AM - 10 * DAY, {
      customer: customer({ tags: [LOYAL_TAG], counters: { orders: 1 } }),
      lastContactAt: yesterday,
      sentAt: { loyal_monthly: yesterday },
      conversation: conversation({ waiting: waitingIn(flows, 'checkin_satisfaction', true), lastActivityAt: yesterday }),
    });
    expect(dueness(who, flows, MONDAY_10AM)).toMatchObject({ due: false, nextAt: yesterday + 3 * DAY, reason: 'in the middle of a flow', rule: { name: 'first_order_thanks' } });
    expect(dueness(who, flows, yesterday + 3 * DAY)).toMatchObject({ due: true, rule: { name: 'first_order_thanks' } });
  });

  it('a question that has already expired does not hold anything up', () => {
    const stale = subject({ conversation: conversation({ waiting: waitingIn(FLOWS, 'order'), lastActivityAt: MONDAY_10AM - 2 * HOUR }) });
    expect(dueness(stale, FLOWS, MONDAY_10AM)).toMatchObject({ due: true });
  });
});

describe('min_gap: at most one check-in per customer in that time, all rules together', () => {
  it('a second rule falling due two days after the first waits until min_gap has passed since the first', () => {
    const lastSent = MONDAY_10AM - 2 * DAY;
    const who = firstTimer(MONDAY_10AM - 10 * DAY, {
      customer: customer({ tags: [LOYAL_TAG], counters: { orders: 1 } }),
      lastContactAt: lastSent,
      sentAt: { loyal_monthly: lastSent },
    });
    expect(dueness(who, FLOWS, MONDAY_10AM)).toEqual({
      due: false,
      nextAt: lastSent + 7 * DAY, // Saturday 10:00: inside the window
      reason: 'checked in recently (min_gap)',
      rule: expect.objectContaining({ name: 'first_order_thanks' }),
    });
    expect(dueness(who, FLOWS, lastSent + 7 * DAY)).toMatchObject({ due: true, rule: { name: 'first_order_thanks' }, cycle: 'once' });
  });
});

describe('once (after: 3d)', () => {
  it('counts from when the customer came to match, fires once, and never again once sent', () => {
    const matchedAt = MONDAY_10AM - 2 * DAY;
    expect(nextAt(dueness(firstTimer(matchedAt), FLOWS, MONDAY_10AM))).toBe(matchedAt + 3 * DAY);
    expect(dueness(firstTimer(matchedAt), FLOWS, matchedAt + 3 * DAY)).toMatchObject({ due: true, rule: { name: 'first_order_thanks' }, cycle: 'once' });
    const thanked = firstTimer(matchedAt, { sentAt: { first_order_thanks: matchedAt + 3 * DAY } });
    for (const later of [4, 30, 400]) {
      expect(dueness(thanked, FLOWS, matchedAt + later * DAY)).toEqual({ due: false, nextAt: null, reason: 'no rule applies' });
    }
  });

  it('without a recorded match time the rule has not started counting', () => {
    expect(dueness(firstTimer(MONDAY_10AM - 9 * DAY, { matchedAt: {} }), FLOWS, MONDAY_10AM)).toEqual({ due: false, nextAt: null, reason: 'no rule applies' });
  });

  it('trackMatches starts the clock when a customer first matches, keeps it, and drops it when they stop matching', () => {
    const fresh = subject({ customer: customer({ tags: [], counters: { orders: 1 } }) });
    expect(trackMatches(fresh, FLOWS, MONDAY_10AM)).toEqual({ first_order_thanks: MONDAY_10AM });
    const tracked = { ...fresh, matchedAt: { first_order_thanks: MONDAY_10AM - DAY } };
    expect(trackMatches(tracked, FLOWS, MONDAY_10AM)).toEqual({ first_order_thanks: MONDAY_10AM - DAY });
    // A second order before the thank-you: no longer a first-timer, the clock is forgotten. `every` rules are never tracked.
    expect(trackMatches({ ...tracked, customer: customer({ tags: [LOYAL_TAG], counters: { orders: 2 } }) }, FLOWS, MONDAY_10AM)).toEqual({});
  });
});

describe('the send window, in the shop time zone', () => {
  it('due on Sunday with days mon-sat: Monday between 09:00 and 10:00', () => {
    const at = nextAt(dueness(subject({ lastContactAt: SUNDAY_10AM - 30 * DAY }), FLOWS, SUNDAY_10AM));
    expect(at).toBeGreaterThanOrEqual(jakarta('2026-11-30T09:00:00'));
    expect(at).toBeLessThan(jakarta('2026-11-30T10:00:00'));
    expect(dueness(subject({ lastContactAt: SUNDAY_10AM - 30 * DAY }), FLOWS, SUNDAY_10AM)).toMatchObject({ reason: 'outside the send window' });
  });

  it('due at 20:00: the next day between 09:00 and 10:00, and then due', () => {
    const eight = jakarta('2026-11-23T20:00:00');
    const who = subject({ lastContactAt: eight - 30 * DAY });
    expect(nextAt(dueness(who, FLOWS, MONDAY_10AM))).toBeGreaterThanOrEqual(jakarta('2026-11-24T09:00:00'));
    const at = nextAt(dueness(who, FLOWS, eight));
    expect(at).toBeGreaterThanOrEqual(jakarta('2026-11-24T09:00:00'));
    expect(at).toBeLessThan(jakarta('2026-11-24T10:00:00'));
    expect(dueness(who, FLOWS, at)).toMatchObject({ due: true, rule: { name: 'loyal_monthly' } });
  });

  it('spreads an opening over the first hour: 50 customers do not all fire at 09:00, and each keeps their time', () => {
    const sunday = (i: number): CheckinSubject => subject({ customer: customer({ id: `62812000${i}@s.whatsapp.net` }), lastContactAt: SUNDAY_10AM - 30 * DAY });
    const times = Array.from({ length: 50 }, (_, i) => nextAt(dueness(sunday(i), FLOWS, SUNDAY_10AM)));
    expect(new Set(times).size).toBeGreaterThanOrEqual(45);
    for (const at of times) {
      expect(at).toBeGreaterThanOrEqual(jakarta('2026-11-30T09:00:00'));
      expect(at).toBeLessThan(jakarta('2026-11-30T09:00:00') + OPENING_SPREAD_MS);
    }
    const minutes = times.map((at) => local(at).minutes - 9 * 60);
    expect(Math.max(...minutes) - Math.min(...minutes)).toBeGreaterThanOrEqual(30); // spread, not bunched
    // Stable: re-planning later on Sunday, or at night, gives each customer the same moment.
    for (const [i, at] of times.entries()) {
      expect(nextAt(dueness(sunday(i), FLOWS, SUNDAY_10AM + 5 * HOUR))).toBe(at);
      expect(nextAt(dueness(sunday(i), FLOWS, jakarta('2026-11-30T08:59:00')))).toBe(at);
    }
  });

  it('skips closed_dates: due Sunday, closed Monday → Tuesday morning', () => {
    const flows = shop({ settings: '\n  closed_dates: ["2026-11-30"]' });
    const at = nextAt(dueness(subject({ lastContactAt: SUNDAY_10AM - 30 * DAY }), flows, SUNDAY_10AM));
    expect(at).toBeGreaterThanOrEqual(jakarta('2026-12-01T09:00:00'));
    expect(at).toBeLessThan(jakarta('2026-12-01T10:00:00'));
    // And a closed date in the middle of the week is not a send day either.
    const closedWednesday = shop({ settings: '\n  closed_dates: ["2026-11-25"]' });
    const wednesday = jakarta('2026-11-25T11:00:00');
    expect(local(nextAt(dueness(subject({ lastContactAt: wednesday - 30 * DAY }), closedWednesday, wednesday))).day).toBe(4);
  });

  it('a short window like "09:00-09:20" still gives a moment inside it', () => {
    const flows = shop({ checkins: '\n    send_window: "09:00-09:20"' });
    for (let i = 0; i < 50; i++) {
      const who = subject({ customer: customer({ id: `62813000${i}@s.whatsapp.net` }), lastContactAt: MONDAY_10AM - 30 * DAY });
      const { day, minutes } = local(nextAt(dueness(who, flows, MONDAY_10AM)));
      expect(day).toBe(2);
      expect(minutes).toBeGreaterThanOrEqual(9 * 60);
      expect(minutes).toBeLessThan(9 * 60 + 20);
    }
  });

  it('a window in two parts waits for the afternoon part, not the next day', () => {
    const flows = shop({ checkins: '\n    send_window: "09:00-12:00, 14:00-19:00"' });
    const lunch = jakarta('2026-11-23T12:30:00');
    const at = nextAt(dueness(subject({ lastContactAt: lunch - 30 * DAY }), flows, lunch));
    expect(at).toBeGreaterThanOrEqual(jakarta('2026-11-23T14:00:00'));
    expect(at).toBeLessThan(jakarta('2026-11-23T15:00:00'));
  });

  it("uses the shop's time zone: a shop in Jayapura (UTC+9) opens two hours before one in Jakarta", () => {
    const flows = shop({ settings: '\n  timezone: Asia/Jayapura' });
    // 18:00 in Jakarta is 20:00 in Jayapura: closed; next opening 09:00 WIT = 07:00 WIB the next day.
    const evening = jakarta('2026-11-23T18:00:00');
    const at = nextAt(dueness(subject({ lastContactAt: evening - 30 * DAY }), flows, evening));
    expect(at).toBeGreaterThanOrEqual(Date.parse('2026-11-24T09:00:00+09:00'));
    expect(at).toBeLessThan(Date.parse('2026-11-24T10:00:00+09:00'));
    // 08:00 in Jakarta is 10:00 in Jayapura: open.
    const morning = jakarta('2026-11-23T08:00:00');
    expect(dueness(subject({ lastContactAt: morning - 30 * DAY }), flows, morning)).toMatchObject({ due: true });
  });
});

describe('several rules', () => {
  it('the first rule in file order wins when both are due', () => {
    const both = firstTimer(MONDAY_10AM - 3 * DAY, { customer: customer({ tags: [LOYAL_TAG], counters: { orders: 1 } }), lastContactAt: MONDAY_10AM - 30 * DAY });
    expect(dueness(both, FLOWS, MONDAY_10AM)).toMatchObject({ due: true, rule: { name: 'loyal_monthly' } });
    const swapped = shop({
      rules: `
  first_order_thanks: { who: { counter: orders, equals: 1 }, after: 3d, flow: thanks_first_order }
  loyal_monthly: { who: { tag: loyal }, every: 30d, flow: checkin_satisfaction }`,
    });
    expect(dueness(both, swapped, MONDAY_10AM)).toMatchObject({ due: true, rule: { name: 'first_order_thanks' }, cycle: 'once' });
  });

  it('the first rule in file order also wins when both wait for the same opening (for every customer)', () => {
    const winners = Array.from({ length: 50 }, (_, i) => {
      const both = firstTimer(SUNDAY_10AM - 3 * DAY, { customer: customer({ id: `62811${i}@s.whatsapp.net`, tags: [LOYAL_TAG], counters: { orders: 1 } }), lastContactAt: SUNDAY_10AM - 30 * DAY });
      return (dueness(both, FLOWS, SUNDAY_10AM) as { rule?: { name: string } }).rule?.name;
    });
    expect(new Set(winners)).toEqual(new Set(['loyal_monthly']));
  });

  it('a holiday closure longer than two weeks postpones check-ins to the reopening, not forever', () => {
    const closed = Array.from({ length: 20 }, (_, i) => new Date(SUNDAY_10AM + (i + 1) * DAY).toISOString().slice(0, 10));
    const flows = shop({ settings: `\n  closed_dates: [${closed.join(', ')}]` });
    const verdict = dueness(subject(), flows, SUNDAY_10AM);
    expect(verdict).toMatchObject({ due: false });
    expect(local((verdict as { nextAt: number }).nextAt).minutes).toBeGreaterThanOrEqual(9 * 60);
    expect((verdict as { nextAt: number }).nextAt).toBeGreaterThan(SUNDAY_10AM + 20 * DAY);
  });

  it('the rule due sooner is the one planned', () => {
    const who = firstTimer(MONDAY_10AM - DAY, { customer: customer({ tags: [LOYAL_TAG], counters: { orders: 1 } }), lastContactAt: MONDAY_10AM - 29 * DAY });
    expect(dueness(who, FLOWS, MONDAY_10AM)).toMatchObject({ due: false, nextAt: MONDAY_10AM + DAY, rule: { name: 'loyal_monthly' } });
  });

  it('every rule is due at once for an allowed import the shop never talked to', () => {
    const flows = shop({ checkins: '\n    allow_imported: true' });
    const imported = subject({ customer: customer({ counters: { orders: 1 } }), wroteAt: null, imported: true, lastContactAt: null, matchedAt: { first_order_thanks: 0 } });
    expect(dueness(imported, flows, MONDAY_10AM)).toMatchObject({ due: true, rule: { name: 'loyal_monthly' }, cycle: '0' });
  });
});

describe('checkinJobId', () => {
  it('is a valid BullMQ custom id (no ":", not a plain number), and differs per customer, rule and cycle', () => {
    const ids = [checkinJobId(1, 'loyal_monthly', '1700000000000'), checkinJobId(12, 'a', 'once'), checkinJobId(1, '2a', 'once'), checkinJobId(1, 'loyal_monthly', '1700000000001')];
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(id).not.toMatch(/^\d+$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(checkinJobId(7, 'loyal_monthly', 'once')).toBe(checkinJobId(7, 'loyal_monthly', 'once'));
  });
});

describe('loyal_when', () => {
  const loyalWhen = FLOWS.settings.loyalWhen;

  it('tags a customer "loyal" from the third order on, and leaves others as they are', () => {
    expect(withLoyalty(customer({ tags: ['vip'], counters: { orders: 3 } }), loyalWhen).tags).toEqual(['vip', LOYAL_TAG]);
    const two = customer({ tags: [], counters: { orders: 2 } });
    expect(withLoyalty(two, loyalWhen)).toBe(two);
    const already = customer({ tags: [LOYAL_TAG], counters: { orders: 9 } });
    expect(withLoyalty(already, loyalWhen)).toBe(already);
    const three = customer({ tags: [], counters: { orders: 3 } });
    expect(withLoyalty(three, null)).toBe(three);
    expect(three.tags).toEqual([]); // never mutates what it was given
  });

  it('the engine tags the customer during the flow in which they place the third order', () => {
    let who = customer({ tags: [], counters: { orders: 2 } });
    let conv: Conversation | null = null;
    for (const text of ['pesan', 'kopi susu']) {
      const result = step({ flows: FLOWS, customer: who, conversation: conv, inbound: { kind: 'text', text }, now: MONDAY_10AM, random: () => 0 });
      who = result.customer;
      conv = result.conversation;
    }
    expect(who.counters.orders).toBe(3);
    expect(who.tags).toContain(LOYAL_TAG);
  });
});

describe('the engine starts a check-in, and its question waits answer_window', () => {
  const budi = customer({ tags: [LOYAL_TAG], counters: { orders: 5 } });
  const say = (conv: Conversation, text: string, now: number) => step({ flows: FLOWS, customer: budi, conversation: conv, inbound: { kind: 'text', text }, now, random: () => 0 });
  const texts = (result: { actions: Array<{ type: string; text?: string }> }) => result.actions.flatMap((a) => (a.type === 'send' ? [a.text] : []));

  it('sends the first question of the check-in flow and waits for the answer', () => {
    const started = checkIn({ flows: FLOWS, customer: budi, conversation: null, flow: 'checkin_satisfaction', now: MONDAY_10AM, random: () => 0 });
    expect(texts(started)).toEqual(['Halo Kak, bagaimana pesanan terakhirnya?\n1. Puas\n2. Kurang']);
    expect(started.conversation).toMatchObject({ waiting: { flow: 'checkin_satisfaction', kind: 'menu' }, escalated: false, pausedUntil: null, lastActivityAt: MONDAY_10AM });
    // Due-ness sees the open question: nothing else is sent until it expires.
    expect(dueness(subject({ lastContactAt: MONDAY_10AM - 40 * DAY, conversation: started.conversation }), FLOWS, MONDAY_10AM + DAY)).toMatchObject({
      due: false,
      nextAt: MONDAY_10AM + 3 * DAY,
      reason: 'in the middle of a flow',
    });
  });

  it('an answer two days later still answers the check-in', () => {
    const started = checkIn({ flows: FLOWS, customer: budi, conversation: null, flow: 'checkin_satisfaction', now: MONDAY_10AM, random: () => 0 });
    const answered = say(started.conversation, '1', MONDAY_10AM + 2 * DAY);
    expect(texts(answered)).toEqual(['Terima kasih atas jawabannya!']);
    expect(answered.conversation.waiting).toBeNull();
  });

  it('after answer_window the question has expired: "1" is a new message', () => {
    const started = checkIn({ flows: FLOWS, customer: budi, conversation: null, flow: 'checkin_satisfaction', now: MONDAY_10AM, random: () => 0 });
    expect(texts(say(started.conversation, '1', MONDAY_10AM + 3 * DAY))).toEqual(['Halo! Ketik pesan untuk memesan.']);
  });

  it('a question the check-in reaches through a goto also waits answer_window', () => {
    const withGreet = flowsFrom(`
checkins:
  loyal_monthly: { who: { tag: loyal }, every: 30d, flow: greet }
fallback: menu
flows:
  menu: { steps: [ { say: "Halo!" } ] }
  greet: { steps: [ { say: "Apa kabar, Kak?" }, { goto: survey } ] }
  survey: { steps: [ { ask: "Nilai 1-5?", save: nilai }, { say: "Terima kasih: {{nilai}}" } ] }
`);
    const started = checkIn({ flows: withGreet, customer: budi, conversation: null, flow: 'greet', now: MONDAY_10AM, random: () => 0 });
    const answered = step({ flows: withGreet, customer: budi, conversation: started.conversation, inbound: { kind: 'text', text: '5' }, now: MONDAY_10AM + 2 * HOUR, random: () => 0 });
    expect(texts(answered)).toEqual(['Terima kasih: 5']);
  });

  it('an ordinary question still expires after idle_reset (30m)', () => {
    const asked = step({ flows: FLOWS, customer: budi, conversation: null, inbound: { kind: 'text', text: 'pesan' }, now: MONDAY_10AM, random: () => 0 });
    expect(texts(asked)).toEqual(['Mau pesan apa?']);
    expect(texts(say(asked.conversation, 'kopi', MONDAY_10AM + 29 * MINUTE))).toEqual(['Pesanan kopi dicatat.']);
    expect(texts(say(asked.conversation, 'kopi', MONDAY_10AM + 30 * MINUTE))).toEqual(['Halo! Ketik pesan untuk memesan.']);
    expect(texts(say(asked.conversation, 'kopi', MONDAY_10AM + 2 * DAY))).toEqual(['Halo! Ketik pesan untuk memesan.']);
  });
});
