import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRunner } from '../../src/flowtest/runner.js';
import { removeTempDirs, silentLog, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const FLOWS = `
settings: { hours: { daily: "08:00-17:00" } }
start: welcome
fallback: f
flows:
  welcome:
    triggers: [halo]
    steps:
      - say: "Halo {{customer.name | Kak}}"
      - menu: Pilih
        options: [ { label: Jam, goto: jam }, { label: Staf, goto: staf } ]
  jam: { triggers: [jam], steps: [ { if: open_now, then: [ { say: Buka } ], else: [ { say: "Tutup, buka {{hours.next_open}}" } ] } ] }
  staf: { steps: [ { tag: minta-staf }, { count: eskalasi }, { escalate: staf, say: Sebentar } ] }
  f: { steps: [ { say: Maaf } ] }
`;

function project(test: string): { runner: TestRunner; file: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'flows.yaml'), FLOWS);
  const file = join(dir, 'case.test.yaml');
  writeFileSync(file, test);
  return { runner: new TestRunner(dir, silentLog), file };
}

describe('conversation tests', () => {
  it('passes a conversation that goes as written, with every kind of assertion', async () => {
    const { runner, file } = project(`
name: all assertions
customer: { name: Sari }
now: "2026-11-23T20:00:00+07:00"
conversation:
  - customer: halo
    bot: ["halo sari", "/^Pilih\\\\n1\\\\. Jam/"]
  - customer: jam
    bot: ["buka besok 08:00"]
  - customer: halo
  - customer: "2"
    bot: [Sebentar]
    escalated: true
    tags: [minta-staf]
    counters: { eskalasi: 1 }
    opted_out: false
  - customer: "halo?"
    bot: []
  - staff: "Halo Kak"
  - staff_action: release
    escalated: false
  - wait: 13h
  - customer: jam
    bot: [Buka]
`);
    expect(await runner.run(file)).toMatchObject({ name: 'all assertions', passed: true, details: [] });
  });

  it('reports the first failing turn with its file:line:col and what the bot sent', async () => {
    const { runner, file } = project(`
name: wrong expectation
conversation:
  - customer: halo
    bot: ["Selamat datang"]
  - customer: jam
`);
    const outcome = await runner.run(file);
    expect(outcome.passed).toBe(false);
    expect(outcome.details).toEqual([
      expect.stringMatching(/case\.test\.yaml:4:5: turn 1, customer: "halo"$/),
      '  expected bot messages, in order:',
      '    ✗ "Selamat datang"',
      '  the bot sent:',
      '    1. Halo Kak',
      '    2. Pilih ⏎ 1. Jam ⏎ 2. Staf',
    ]);
  });

  it('fails `bot: []` when the bot says anything, and a variable that was not saved', async () => {
    const { runner, file } = project(`
name: silence
conversation:
  - customer: halo
    bot: []
    vars: { nama: Sari }
`);
    const outcome = await runner.run(file);
    expect(outcome.details).toContain('  expected no bot message');
    expect(outcome.details).toContain('  expected variable nama = "Sari", got (not set)');
  });

  it('reads numbers the way they were typed: a menu answer 2, a phone with its leading zero', async () => {
    const { runner, file } = project(`
name: numbers
customer: { phone: 081234567890 }
conversation:
  - staff_action: release
  - customer: halo
    bot: ["halo kak", "Pilih"]
  - customer: 2
    bot: [Sebentar]
`);
    expect(await runner.run(file)).toMatchObject({ passed: true });
  });

  it('reports an invalid regular expression in an expectation, and a missing file, as failed tests', async () => {
    const { runner, file } = project(`
name: bad regex
conversation:
  - customer: halo
    bot: ["/(/"]
`);
    expect((await runner.run(file)).details).toEqual([expect.stringMatching(/case\.test\.yaml:5:11: bot: invalid regular expression \/\(\/: Unterminated group$/)]);
    expect(await runner.run(`${file}.missing`)).toMatchObject({ passed: false, details: [expect.stringMatching(/cannot read it \(ENOENT\)/)] });
  });

  it('reports a malformed test file at file:line:col', async () => {
    const { runner, file } = project(`
name: typo
conversation:
  - custmer: halo
`);
    const outcome = await runner.run(file);
    expect(outcome.passed).toBe(false);
    expect(outcome.details).toEqual([expect.stringMatching(/case\.test\.yaml:4:5: unknown kind "custmer" \(did you mean "customer"\?\)/)]);
  });
});
