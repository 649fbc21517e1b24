/** Mistakes owners make in check-in rules and settings: each is reported at file:line:col and says what to write. */
import { describe, expect, it } from '@jest/globals';
import { compileFlowTexts } from '../../src/flows/load.js';

/** Lines 1-4: a valid shop with one flow a check-in can start. Problems below start at line 5. */
const SHOP = `fallback: f
flows:
  f: { steps: [ { say: F } ] }
  checkin_satisfaction: { steps: [ { say: "Halo Kak, apa kabar?" } ] }
`;

function problems(text: string, file = 'shop.yaml'): string[] {
  return compileFlowTexts([{ file, text }]).problems.map((p) => p.message);
}

/** Only the errors: a rule that fails also leaves its flow unreached, which is a warning of its own. */
function errors(text: string, file = 'shop.yaml'): string[] {
  return compileFlowTexts([{ file, text }]).problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

function checkinSettings(lines: string): string {
  return `settings:\n  checkins:\n${lines}${SHOP}`;
}

describe('check-in rules', () => {
  it('accepts the rules and settings of the brief', () => {
    const result = compileFlowTexts([
      {
        file: 'shop.yaml',
        text: `settings:
  loyal_when: { counter: orders, gte: 3 }
  checkins:
    send_window: "09:00-19:00"
    days: [mon, tue, wed, thu, fri, sat]
    max_per_minute: 6
    min_gap: 7d
    answer_window: 3d
    allow_imported: false
checkins:
  loyal_monthly: { who: { tag: loyal }, every: 30d, flow: checkin_satisfaction }
  first_order_thanks: { who: { counter: orders, equals: 1 }, after: 3d, flow: checkin_satisfaction }
${SHOP}`,
      },
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([]);
    expect(result.flows!.checkins.rules.map((r) => [r.name, r.everyMs, r.afterMs])).toEqual([
      ['loyal_monthly', 30 * 86_400_000, undefined],
      ['first_order_thanks', undefined, 3 * 86_400_000],
    ]);
    expect(result.flows!.checkins.settings).toMatchObject({ maxPerMinute: 6, minGapMs: 7 * 86_400_000, answerWindowMs: 3 * 86_400_000, allowImported: false });
  });

  it('a rule with both every and after: says to keep exactly one, at the rule', () => {
    expect(problems(`${SHOP}checkins:\n  monthly:\n    who: { tag: loyal }\n    every: 30d\n    after: 3d\n    flow: checkin_satisfaction\n`)).toEqual([
      'shop.yaml:7:5: monthly: a check-in rule needs exactly one of "every: 30d" (recurring) or "after: 3d" (once)',
    ]);
  });

  it('a rule with neither every nor after: the same advice', () => {
    expect(problems(`${SHOP}checkins:\n  monthly:\n    who: { tag: loyal }\n    flow: checkin_satisfaction\n`)).toEqual([
      'shop.yaml:7:5: monthly: a check-in rule needs exactly one of "every: 30d" (recurring) or "after: 3d" (once)',
    ]);
  });

  it('a misspelt key in a rule: did-you-mean, and the keys a rule takes', () => {
    expect(problems(`${SHOP}checkins:\n  monthly:\n    who: { tag: loyal }\n    evry: 30d\n    flow: checkin_satisfaction\n`)).toContain(
      'shop.yaml:8:5: unknown key "evry" (did you mean "every"?); expected one of: description, who, every, after, flow',
    );
  });

  it('an unknown flow name: at the value, with did-you-mean', () => {
    expect(errors(`${SHOP}checkins:\n  monthly:\n    who: { tag: loyal }\n    every: 30d\n    flow: checkin_satisfation\n`)).toEqual([
      'shop.yaml:9:11: no flow named "checkin_satisfation" (did you mean "checkin_satisfaction"?)',
    ]);
    expect(errors(`${SHOP}checkins:\n  monthly: { who: { tag: loyal }, every: 30d, flow: terima_kasih }\n`)).toEqual(['shop.yaml:6:53: no flow named "terima_kasih"']);
  });

  it('a flow that only a rule starts is not reported as unreachable', () => {
    expect(problems(`${SHOP}checkins:\n  monthly: { who: { tag: loyal }, every: 30d, flow: checkin_satisfaction }\n`)).toEqual([]);
  });

  it('a bad duration in a rule: at the value, with examples', () => {
    expect(problems(`${SHOP}checkins:\n  monthly:\n    who: { tag: loyal }\n    every: 30 days\n    flow: checkin_satisfaction\n`)).toEqual([
      'shop.yaml:8:12: every: expected a duration such as 30s, 30m, 2h, 3d or 1w',
    ]);
    expect(problems(`${SHOP}checkins:\n  thanks: { who: { counter: orders, equals: 1 }, after: 0d, flow: checkin_satisfaction }\n`)).toEqual([
      'shop.yaml:6:57: after: expected a duration such as 30s, 30m, 2h, 3d or 1w',
    ]);
  });

  it('a mistyped condition in who: did-you-mean among the condition kinds', () => {
    expect(problems(`${SHOP}checkins:\n  monthly:\n    who: { tagg: loyal }\n    every: 30d\n    flow: checkin_satisfaction\n`)).toEqual([
      'shop.yaml:7:12: unknown kind "tagg" (did you mean "tag"?); expected one of: tag, var, counter, all, any, not',
    ]);
  });

  it('the same rule name in two files: the second is reported, naming the first file', () => {
    const result = compileFlowTexts([
      { file: 'flows/a.yaml', text: `${SHOP}checkins:\n  monthly: { who: { tag: loyal }, every: 30d, flow: checkin_satisfaction }\n` },
      { file: 'flows/b.yaml', text: 'checkins:\n  weekly: { who: { tag: vip }, every: 7d, flow: f }\n  monthly:\n    who: { tag: vip }\n    every: 30d\n    flow: f\n' },
    ]);
    expect(result.flows).toBeUndefined();
    expect(result.problems.map((p) => p.message)).toEqual(['flows/b.yaml:3:3: check-in rule "monthly" is already defined in flows/a.yaml']);
  });
});

describe('check-in settings', () => {
  it('a send window written as "9-19": at the value, with the format to use', () => {
    expect(problems(checkinSettings('    send_window: "9-19"\n'))).toEqual([
      'shop.yaml:3:18: send_window: expected shop-local times such as "09:00-19:00" or "09:00-12:00, 14:00-19:00"',
    ]);
  });

  it('a send window that never opens ("closed") is refused the same way', () => {
    expect(problems(checkinSettings('    send_window: closed\n'))).toEqual([
      'shop.yaml:3:18: send_window: expected shop-local times such as "09:00-19:00" or "09:00-12:00, 14:00-19:00"',
    ]);
  });

  it('an unknown day: at the day, with the forms days take', () => {
    expect(problems(checkinSettings('    days: [mon, tue, wdn, thu]\n'))).toEqual([
      'shop.yaml:3:22: days: expected a day or days such as mon, sat, mon-fri, mon,wed,fri or daily',
    ]);
    expect(problems(checkinSettings('    days: []\n'))).toEqual(['shop.yaml:3:11: days: needs at least 1 item(s)']);
  });

  it('max_per_minute 0 (or a fraction): at the value, saying the least allowed', () => {
    expect(problems(checkinSettings('    max_per_minute: 0\n'))).toEqual(['shop.yaml:3:21: max_per_minute: must be at least 1']);
    expect(problems(checkinSettings('    max_per_minute: 1.5\n'))).toEqual(['shop.yaml:3:21: max_per_minute: expected a whole number, got 1.5']);
  });

  it('bad min_gap and answer_window durations, each at its own value', () => {
    expect(problems(checkinSettings('    min_gap: 1 week\n    answer_window: 3 hari\n'))).toEqual([
      'shop.yaml:3:14: min_gap: expected a duration such as 30s, 30m, 2h, 3d or 1w',
      'shop.yaml:4:20: answer_window: expected a duration such as 30s, 30m, 2h, 3d or 1w',
    ]);
  });

  it('a misspelt setting: did-you-mean and the settings check-ins take', () => {
    expect(problems(checkinSettings('    min_gapp: 7d\n'))).toEqual([
      'shop.yaml:3:5: unknown key "min_gapp" (did you mean "min_gap"?); expected one of: send_window, days, max_per_minute, min_gap, answer_window, allow_imported',
    ]);
  });

  it('leaves out nothing an owner must write: defaults fill the check-in settings', () => {
    const result = compileFlowTexts([{ file: 'shop.yaml', text: SHOP }]);
    expect(result.flows!.checkins.settings).toMatchObject({ maxPerMinute: 6, minGapMs: 7 * 86_400_000, answerWindowMs: 3 * 86_400_000, allowImported: false });
    expect(result.flows!.checkins.settings.window.days.map((ranges) => ranges.length)).toEqual([0, 1, 1, 1, 1, 1, 1]); // mon-sat, 09:00-19:00
    expect(result.flows!.checkins.settings.window.days[1]).toEqual([[540, 1140]]);
  });
});
