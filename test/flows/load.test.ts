import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { jsonSchema, SCHEMA_FILES } from '../../src/cli/flows-schema.js';
import { TestFile } from '../../src/flowtest/format.js';
import { compileFlowTexts } from '../../src/flows/load.js';
import { FlowFile } from '../../src/flows/schema.js';

function problems(text: string, file = 'shop.yaml'): string[] {
  return compileFlowTexts([{ file, text }]).problems.map((p) => p.message);
}

const VALID_TAIL = `
fallback: f
flows:
  f: { steps: [ { say: F } ] }
`;

describe('flow file problems point at file:line:col', () => {
  it('reports YAML syntax errors', () => {
    expect(problems('flows:\n  a: [\n')).toEqual([expect.stringMatching(/^shop\.yaml:3:1: YAML syntax: /)]);
  });

  it('reports unknown keys with a suggestion', () => {
    expect(problems(`settings:\n  shop_nam: X\n${VALID_TAIL}`)).toEqual([expect.stringMatching(/^shop\.yaml:2:3: unknown key "shop_nam" \(did you mean "shop_name"\?\)/)]);
  });

  it('reports unknown step kinds and condition kinds with a suggestion', () => {
    const found = problems(`${VALID_TAIL}  g:\n    triggers: [g]\n    steps:\n      - sya: hi\n      - if: { tagg: x }\n        then: [end]\n`);
    expect(found).toEqual([
      expect.stringMatching(/^shop\.yaml:8:9: unknown kind "sya" \(did you mean "say"\?\)/),
      expect.stringMatching(/^shop\.yaml:9:15: unknown kind "tagg" \(did you mean "tag"\?\)/),
    ]);
  });

  it('reports unknown keys inside a step, with the keys that step takes', () => {
    expect(problems(`${VALID_TAIL}  g:\n    triggers: [g]\n    steps:\n      - ask: x\n        max_retry: 2\n`)).toEqual([
      'shop.yaml:9:9: unknown key "max_retry" (did you mean "max_retries"?); expected one of: ask, save, expect, retry, max_retries, on_fail',
    ]);
  });

  it('points at the option that has both goto and steps, not at an earlier key of the same name', () => {
    const found = problems(`${VALID_TAIL}  g:\n    triggers: [g]\n    steps:\n      - menu: m\n        options:\n          - label: a\n            goto: f\n            steps: [end]\n`);
    expect(found).toEqual(['shop.yaml:12:13: an option has either goto or steps, not both']);
  });

  it('reports missing goto, on_fail, start and fallback targets', () => {
    const found = problems(`start: welcom\n${VALID_TAIL}  w:\n    triggers: [w]\n    steps:\n      - { ask: x, on_fail: humen }\n      - goto: nowhere\n`);
    expect(found).toEqual([
      'shop.yaml:1:8: no flow named "welcom"',
      'shop.yaml:9:28: no flow named "humen"',
      'shop.yaml:10:15: no flow named "nowhere"',
    ]);
  });

  it('reports invalid regular expressions, durations, hours and expect kinds', () => {
    const found = problems(`settings:\n  idle_reset: 30x\n  hours: { mon-fry: "08:00-17:00", sat: "8-12" }\n${VALID_TAIL}  g:\n    triggers: ["/[a/"]\n    steps: [ { ask: x, expect: nomber } ]\n`);
    expect(found).toEqual([
      expect.stringMatching(/^shop\.yaml:2:15: idle_reset: expected a duration/),
      expect.stringMatching(/^shop\.yaml:3:12: "mon-fry": expected a day/),
      expect.stringMatching(/^shop\.yaml:3:41: sat: expected opening hours/),
      expect.stringMatching(/^shop\.yaml:9:16: triggers: invalid regular expression \/\[a\//),
      expect.stringMatching(/^shop\.yaml:10:32: expect: unknown expect "nomber" \(did you mean "number"\?\)/),
    ]);
  });

  it('warns about duplicate triggers, unreachable flows and steps that never run, without failing', () => {
    const result = compileFlowTexts([{ file: 'shop.yaml', text: `${VALID_TAIL}  a: { triggers: [halo], steps: [ { goto: f }, { say: never } ] }\n  b: { triggers: [Halo!], steps: [end] }\n  c: { steps: [end] }\n` }]);
    expect(result.flows).toBeDefined();
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^shop\.yaml:5:48: warning: this step never runs/),
      expect.stringMatching(/^shop\.yaml:6:19: warning: trigger "Halo!" is also a trigger of flow "a"/),
      expect.stringMatching(/^shop\.yaml:7:3: warning: flow "c" never runs/),
    ]);
  });

  it('warns about template names nothing provides, and triggers that are opt-out words', () => {
    const result = compileFlowTexts([{ file: 'shop.yaml', text: `${VALID_TAIL}  g:\n    triggers: [stop]\n    steps:\n      - { ask: x, save: order_id }\n      - say: "{{oder_id}} {{customer.nama}} {{order_id}} {{hours.today}} {{settings.any}}"\n      - { menu: m, options: [ { label: a } ], retry: "1-{{options}}" }\n` }]);
    expect(result.flows).toBeDefined();
    expect(result.problems.map((p) => p.message)).toEqual([
      'shop.yaml:6:16: warning: trigger "stop" is also an opt-out or opt-in word, so a message of just that word never starts this flow',
      'shop.yaml:9:14: warning: {{oder_id}} is always empty: no flow saves "oder_id" (with save: or set:) (did you mean "order_id"?)',
      'shop.yaml:9:14: warning: {{customer.nama}} is always empty: customer has customer.name, customer.phone, customer.tags, customer.counters (did you mean "name"?)',
    ]);
  });

  it('reports a broken file alone, without echoing it as missing flows elsewhere', () => {
    const result = compileFlowTexts([
      { file: 'a.yaml', text: `start: other\n${VALID_TAIL}` },
      { file: 'b.yaml', text: 'flows:\n  other: { steps: [ { sya: x } ] }\n' },
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^b\.yaml:2:23: unknown kind "sya"/)]);
  });

  it('reports flows that go to each other forever without waiting', () => {
    expect(problems(`${VALID_TAIL}  a: { triggers: [a], steps: [ { say: x }, { goto: b } ] }\n  b: { steps: [ { tag: t }, { goto: a } ] }\n`)).toEqual([
      'shop.yaml:5:52: goto loop a → b → a never waits for the customer; add an ask or menu, or end it',
    ]);
  });

  it('rejects a directory of files without any flow, so a truncated file never silences the bot', () => {
    expect(problems('# nothing yet\n')).toEqual(['shop.yaml:1:1: no flows: write them under "flows:"; a bot without flows would answer nobody']);
  });

  it('keeps every problem on one line, and survives an alias bomb', () => {
    expect(problems(`settings:\n  opt_out_words: |\n    STOP\n    -\n${VALID_TAIL}`)).toEqual([
      'shop.yaml:2:18: opt_out_words: expected a list, got "STOP\\n-\\n"',
    ]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`)].join('\n');
    expect(problems(bomb)).toEqual([expect.stringMatching(/^shop\.yaml:1:1: YAML: .*alias/i)]);
  });

  it('rejects opt-out words without letters, and accepts regexes valid only without the unicode flag', () => {
    expect(problems(`settings:\n  opt_out_words: [STOP, "-"]\n${VALID_TAIL}`)).toEqual([expect.stringMatching(/^shop\.yaml:2:25: opt_out_words: a word needs letters, digits or an emoji/)]);
    expect(problems(`${VALID_TAIL}  g: { triggers: ['/^INV\\-\\d+$/i'], steps: [end] }\n`)).toEqual([]);
  });

  it('merges files, and reports flows and settings defined twice', () => {
    const result = compileFlowTexts([
      { file: 'a.yaml', text: `settings: { shop_name: A }\n${VALID_TAIL}` },
      { file: 'b.yaml', text: 'settings: { shop_name: B }\nflows:\n  f: { steps: [end] }\n' },
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'b.yaml:1:1: settings are already given in a.yaml; keep them in one file',
      'b.yaml:3:3: flow "f" is already defined in a.yaml',
    ]);
  });
});

describe('JSON Schemas for editors', () => {
  it('match the shipped schema files (run `npx setia flows schema` after changing the language)', () => {
    expect(readFileSync(`flows/${SCHEMA_FILES.flows}`, 'utf8')).toBe(jsonSchema(FlowFile, 'Setia flow file'));
    expect(readFileSync(`flows/${SCHEMA_FILES.tests}`, 'utf8')).toBe(jsonSchema(TestFile, 'Setia conversation test'));
  });
});
