/**
 * A YAML file as data, with positions for its problems (`file:line:col`). The `yaml` library gives positions but
 * takes ~15× as long as js-yaml, and positions are needed only when there is a problem to point at: so the data
 * comes from js-yaml, and `yaml` parses the file only for a problem's position, or when js-yaml declines the file.
 */
import { constructFromEvents, CORE_SCHEMA, defineMappingTag, EVENT_ID, mergeTag, parseEvents, type Event } from 'js-yaml';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { FlowError, type Severity } from '../errors.js';

export type YamlPath = ReadonlyArray<string | number>;

/** Longer keys are an error to `yaml` (over 1024 characters) and not to js-yaml: such a file takes the `yaml` path. */
const LONGEST_FAST_KEY = 1000;

/** Plain objects with text keys only: any other key is declined, so `yaml` decides what it becomes (as it did). */
const textKeyedMap = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (map, key, value) => {
    if (typeof key !== 'string' || key === '__proto__' || key.length > LONGEST_FAST_KEY) return 'a key the fast path leaves to yaml';
    map[key] = value;
    return '';
  },
  has: (map, key) => typeof key === 'string' && Object.hasOwn(map, key),
  keys: (map) => Object.keys(map),
  get: (map, key) => (typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : null),
  identify: () => false,
});
const FAST_SCHEMA = CORE_SCHEMA.withTags(mergeTag, textKeyedMap);

/**
 * The file's data as `yaml` (YAML 1.2 core schema, merge keys, unique keys) would give it, or undefined when the
 * fast path cannot vouch for that: a syntax error, duplicate key, alias, tag or directive. Those few files go
 * through `yaml` as before; on the rest the two agree (test/flows/source.test.ts compares them).
 */
function fastData(text: string): { data: unknown } | undefined {
  try {
    const events = parseEvents(text, {});
    if (!events.every(plainEvent)) return undefined;
    const documents = constructFromEvents(events, { source: text, schema: FAST_SCHEMA, maxAliases: 0 });
    return documents.length === 1 ? { data: documents[0] } : undefined; // none: yaml reads an empty file as null
  } catch {
    return undefined;
  }
}

function plainEvent(event: Event): boolean {
  if (event.type === EVENT_ID.DOCUMENT) return event.directives.length === 0;
  if (event.type === EVENT_ID.ALIAS) return false;
  return event.type === EVENT_ID.POP || event.tagStart === -1;
}

export class YamlSource {
  readonly errors: FlowError[] = [];
  data: unknown;
  /** The file parsed with positions: only once a position is asked for, when the fast path took the file. */
  private positioned: { doc: Document; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    const fast = fastData(text);
    if (fast) {
      this.data = fast.data;
      return;
    }
    const { doc } = this.parsed();
    for (const error of doc.errors) {
      const [line, col] = this.lineCol(error.pos[0]);
      this.errors.push(new FlowError(file, line, col, `YAML syntax: ${firstLine(error.message)}`));
    }
    this.data = this.errors.length ? undefined : this.toJS(doc);
  }

  private parsed(): { doc: Document; lines: LineCounter } {
    if (!this.positioned) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
      this.positioned = { doc, lines };
    }
    return this.positioned;
  }

  /** The document as plain data; a document that cannot become data (an alias bomb) is a problem, not a crash. */
  private toJS(doc: Document): unknown {
    try {
      return doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      this.errors.push(new FlowError(this.file, 1, 1, `YAML: ${firstLine((error as Error).message)}`));
      return undefined;
    }
  }

  /**
   * Makes the values at these paths text exactly as written, where YAML read a number or boolean:
   * a customer who types 1 sends "1", and a phone written 0812… keeps its zero.
   */
  keepAsText(paths: YamlPath[]): void {
    for (const path of paths) {
      const parent = path.slice(0, -1).reduce<unknown>((v, seg) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined), this.data);
      const key = path.at(-1)!;
      if (!parent || typeof parent !== 'object') continue;
      const value = (parent as Record<string | number, unknown>)[key];
      const node = this.nodeAt(path, false);
      if ((typeof value === 'number' || typeof value === 'boolean') && isScalar(node) && typeof node.source === 'string') {
        (parent as Record<string | number, unknown>)[key] = node.source;
      }
    }
  }

  private lineCol(offset: number): [number, number] {
    const pos = this.parsed().lines.linePos(offset);
    return [pos.line, pos.col];
  }

  /** The node at a path, or the deepest existing node on the way to it. */
  private nodeAt(path: YamlPath, key: boolean): Node | undefined {
    let node: unknown = this.parsed().doc.contents;
    for (const [index, segment] of path.entries()) {
      if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) break;
      const collection = node as { items: unknown[] };
      const item = isMap(node)
        ? collection.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
        : collection.items[Number(segment)];
      if (item === undefined) break;
      const last = index === path.length - 1;
      node = isPair(item) ? (key && last ? item.key : item.value ?? item.key) : item;
    }
    return node as Node | undefined;
  }

  /** A problem at a path; `key` points at the key of a mapping entry rather than its value. */
  problem(path: YamlPath, message: string, options: { key?: boolean; severity?: Severity } = {}): FlowError {
    const range = this.nodeAt(path, options.key ?? false)?.range;
    const [line, col] = range ? this.lineCol(range[0]) : [1, 1];
    return new FlowError(this.file, line, col, message, options.severity);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
