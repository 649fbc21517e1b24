/**
 * Turns zod's validation issues into owner-friendly problems at `file:line:col`: which key is unknown and
 * what it probably should be, which step kind is mistyped, what kind of value was expected.
 */
import type { z } from 'zod';
import type { FlowError } from '../errors.js';
import type { YamlPath, YamlSource } from './source.js';
import { didYouMean } from './suggest.js';

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;

/** zod internals we walk to find the schema at a path (for allowed keys and union members). */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  getter?: () => Schema;
  in?: Schema;
}

function def(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** Strips wrappers (optional, lazy, pipes) down to the schema that does the work. */
function unwrap(schema: Schema): Schema {
  const d = def(schema);
  if (d.innerType) return unwrap(d.innerType);
  if (d.getter) return unwrap(d.getter());
  if (d.type === 'pipe' && d.in) return unwrap(d.in);
  return schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The union member a value means to be, judged by its first key (`say:`, `tag:` …). */
function memberFor(union: Schema, value: unknown): Schema | undefined {
  if (!isObject(value)) return undefined;
  return def(union).options!.map(unwrap).find((option) => {
    const shape = def(option).shape;
    return shape !== undefined && Object.keys(shape)[0]! in value;
  });
}

function kindKeys(union: Schema): string[] {
  return def(union).options!.map(unwrap).flatMap((o) => Object.keys(def(o).shape ?? {}).slice(0, 1));
}

/** The schema for the value at `path`; `resolveUnion` picks the member a union's value means to be. */
function schemaAt(root: Schema, path: YamlPath, value: unknown, resolveUnion: boolean): Schema | undefined {
  let schema: Schema | undefined = unwrap(root);
  for (const segment of path) {
    if (schema && def(schema).type === 'union') schema = memberFor(schema, value);
    if (!schema) return undefined;
    const d = def(schema);
    schema = d.shape ? d.shape[segment] : d.element ?? d.valueType;
    schema = schema && unwrap(schema);
    value = isObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return schema && resolveUnion && def(schema).type === 'union' ? memberFor(schema, value) : schema;
}

function valueAt(data: unknown, path: YamlPath): unknown {
  return path.reduce<unknown>((v, seg) => (isObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[seg] : undefined), data);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
};

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function label(path: YamlPath): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  return last === undefined ? '' : `${last}: `;
}

/** Maps one zod issue to problems, given the schema and data it came from. */
function explain(issue: Issue, root: Schema, source: YamlSource, base: YamlPath): FlowError[] {
  const path = [...base, ...(issue.path as Array<string | number>)];
  const value = valueAt(source.data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const object = schemaAt(root, path.slice(base.length), valueAt(source.data, base), true);
      const allowed = Object.keys((object && def(object).shape) ?? {});
      const expected = allowed.length ? `; expected one of: ${allowed.join(', ')}` : '';
      return issue.keys.map((key) => source.problem([...path, key], `unknown key "${key}"${didYouMean(key, allowed)}${expected}`, { key: true }));
    }
    case 'invalid_union': {
      const union = schemaAt(root, path.slice(base.length), valueAt(source.data, base), false);
      const member = union && def(union).type === 'union' ? memberFor(union, value) : undefined;
      if (member) {
        const result = (member as z.ZodType).safeParse(value);
        return result.success ? [] : result.error.issues.flatMap((inner) => explain(inner, member, source, path));
      }
      if (union && isObject(value) && kindKeys(union).length) {
        const first = Object.keys(value)[0] ?? '';
        const keys = kindKeys(union);
        return [source.problem([...path, first], `unknown kind "${first}"${didYouMean(first, keys)}; expected one of: ${keys.join(', ')}`, { key: true })];
      }
      return [source.problem(path, `${label(path)}${issue.message}`)];
    }
    case 'invalid_key':
      return [source.problem(path, `"${String(path.at(-1))}": ${issue.issues[0]?.message ?? issue.message}`, { key: true })];
    case 'invalid_type': {
      if (value === undefined) {
        return [source.problem(path.slice(0, -1), `missing "${String(path.at(-1))}"`)];
      }
      if (!issue.message.startsWith('Invalid input')) return [source.problem(path, `${label(path)}${issue.message}, got ${describe(value)}`)];
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return [source.problem(path, `${label(path)}expected ${expected}, got ${describe(value)}`)];
    }
    case 'too_small':
      if (issue.origin === 'array') return [source.problem(path, `${label(path)}needs at least ${String(issue.minimum)} item(s)`)];
      if (issue.origin === 'string') return [source.problem(path, `${label(path)}must not be empty`)];
      return [source.problem(path, `${label(path)}must be at least ${String(issue.minimum)}`)];
    case 'too_big':
      return [source.problem(path, `${label(path)}must be at most ${String(issue.maximum)}`)];
    case 'invalid_value':
      return [source.problem(path, `${label(path)}expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(value)}`)];
    default:
      return [source.problem(path, `${label(path)}${issue.message}`)];
  }
}

/** Validates a parsed file against a schema; returns the typed data or the problems found. */
export function validate<T>(schema: z.ZodType<T>, source: YamlSource): { data?: T; problems: FlowError[] } {
  const result = schema.safeParse(source.data ?? {});
  if (result.success) return { data: result.data, problems: [] };
  return { problems: result.error.issues.flatMap((issue) => explain(issue, schema, source, [])) };
}
