/** A YAML file parsed with positions, so every problem can point at `file:line:col`. */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { FlowError, type Severity } from '../errors.js';

export type YamlPath = ReadonlyArray<string | number>;

export class YamlSource {
  readonly errors: FlowError[] = [];
  readonly data: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const error of this.doc.errors) {
      const [line, col] = this.lineCol(error.pos[0]);
      this.errors.push(new FlowError(file, line, col, `YAML syntax: ${firstLine(error.message)}`));
    }
    this.data = this.errors.length ? undefined : this.doc.toJS();
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
