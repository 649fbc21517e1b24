/** A YAML file parsed with positions, so every problem can point at `file:line:col`. */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { FlowError, type Severity } from '../errors.js';

export type YamlPath = ReadonlyArray<string | number>;

export class YamlSource {
  readonly errors: FlowError[] = [];
  data: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, merge: true });
    for (const error of this.doc.errors) {
      const [line, col] = this.lineCol(error.pos[0]);
      this.errors.push(new FlowError(file, line, col, `YAML syntax: ${firstLine(error.message)}`));
    }
    this.data = this.errors.length ? undefined : this.toJS();
  }

  /** The document as plain data; a document that cannot become data (an alias bomb) is a problem, not a crash. */
  private toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 1000 });
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
    const pos = this.lines.linePos(offset);
    return [pos.line, pos.col];
  }

  /** The node at a path, or the deepest existing node on the way to it. */
  private nodeAt(path: YamlPath, key: boolean): Node | undefined {
    let node: unknown = this.doc.contents;
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
