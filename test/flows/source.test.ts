import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { YamlSource } from '../../src/flows/source.js';

/** What the loader read before the fast path: `yaml` alone, with the loader's options. */
function yamlAlone(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true });
  try {
    return doc.errors.length ? 'error' : doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return 'error'; // an alias bomb
  }
}

function read(text: string): unknown {
  const source = new YamlSource('shop.yaml', text);
  return source.errors.length ? 'error' : source.data;
}

/** Values where YAML parsers are known to disagree; each must read as `yaml` reads it. */
const TRICKY = [
  'a: 1', 'a: 1_000', 'a: 0o17', 'a: 017', 'a: 0x1F', 'a: 0b101', 'a: 1e3', 'a: 12e03', 'a: .5', 'a: 0.', 'a: -0', 'a: +1',
  'a: .inf', 'a: -.INF', 'a: .NaN', 'a: 9007199254740993', 'a: yes', 'a: on', 'a: True', 'a: tRue', 'a: ~', 'a:', 'a: Null',
  'a: 2026-12-25', 'a: 08:00', 'a: 1:30', "a: '1'", 'a: !!str 1', 'a: !!int "1"', 'a: !!float 1', 'a: !foo x',
  '%YAML 1.1\n---\na: yes', '~: x', '1: x', 'true: x', '1: a\n"1": b', '__proto__: x', `${'k'.repeat(1100)}: v`,
  'a: &x 1\nb: *x', 'base: &b {x: 1}\nc:\n  <<: *b\n  y: 2', 'c:\n  <<: {x: 1}\n  y: 2', 'c:\n  <<: [{x: 1}, {z: 3}]\n  x: 2',
  'a: |\n  x\n  y\n', 'a: >-\n  x\n  y\n\n  z\n', 'a: >+\n  x\n\n', 'a: "x\\ty\\u00e9"', "a: 'it''s'", 'a: x\n  y', 'a: "multi\n  line"',
  'say: Halo *Kak*!', 'x: "*Promo*"', 'a: b # c', 'a: b#c', '\ufeffa: 1', 'a: x\r\nb: y\r\n', '', '# only',
  'a: b: c', 'a: 1\na: 2', 'a:\n\t- x', 'a: "unterminated', '---\na: 1\n---\nb: 2', 'a: [1,\n2]',
];

describe('YamlSource reads a file as the yaml library does, faster', () => {
  it.each(TRICKY)('%j', (text) => {
    expect(read(text)).toEqual(yamlAlone(text));
  });

  it('reads every YAML file in the repository (shipped flows, tests, fixtures, broken files) to the same data and errors', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { encoding: 'utf8' }).trim().split('\n');
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect({ file, read: read(text) }).toEqual({ file, read: yamlAlone(text) });
    }
  });

  it('points a problem in a file read on the fast path at its line and column', () => {
    const source = new YamlSource('shop.yaml', 'flows:\n  halo:\n    steps:\n      - say: Halo\n      - sya: typo\n');
    expect(source.problem(['flows', 'halo', 'steps', 1, 'sya'], 'unknown kind', { key: true }).message).toBe('shop.yaml:5:9: unknown kind');
    expect(source.problem(['flows', 'halo', 'steps', 0, 'say'], 'here').message).toBe('shop.yaml:4:14: here');
  });

  it('reports a syntax error where yaml reports it', () => {
    expect(new YamlSource('shop.yaml', 'flows:\n  a: [\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/^shop\.yaml:3:1: YAML syntax: /)]);
  });

  it('still refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)].join('\n');
    expect(new YamlSource('shop.yaml', bomb).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^shop\.yaml:1:1: YAML: /)]);
  });
});
