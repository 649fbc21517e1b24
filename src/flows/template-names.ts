/**
 * Which names a template may read, so that `flows check` can warn about {{oder_id}} before a customer sees
 * an empty gap. Saved variables are known from the `save` and `set` steps of all flows.
 */
import { didYouMean } from './suggest.js';

/** Fixed names under each built-in root; null: any name (settings and saved variables vary). */
const ROOTS: Record<string, string[] | null> = {
  customer: ['name', 'phone', 'tags', 'counters'],
  hours: ['open_now', 'today', 'next_open'],
  message: ['text'],
  // The catalogue's columns vary by shop: name, price, stock, photo, description, category and any other.
  product: null,
  catalog: null,
  settings: null,
  vars: null,
};

/** A warning for a template path nothing provides, or undefined when the path can have a value. */
export function unknownTemplateName(path: string, savedVars: ReadonlySet<string>): string | undefined {
  const [root = '', child] = path.split('.');
  if (path === 'customer.name' || savedVars.has(path)) return undefined;
  const children = ROOTS[root];
  if (children !== undefined) {
    if (children === null || child === undefined || children.includes(child)) return undefined;
    return `{{${path}}} is always empty: ${root} has ${children.map((c) => `${root}.${c}`).join(', ')}${didYouMean(child, children)}`;
  }
  const candidates = [...savedVars, ...Object.keys(ROOTS)];
  return `{{${path}}} is always empty: no flow saves "${root}" (with save: or set:)${didYouMean(root, candidates)}`;
}
