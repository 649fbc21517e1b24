/**
 * Templates in owners' texts: {{path}} reads a value, {{path | fallback}} gives a text for a missing one.
 * A missing value without fallback renders as nothing. Templates only read values; they never run code.
 */

export type TemplateScope = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

/** Reads a dotted path ("customer.name", "counters.orders") from nested plain objects. */
export function lookup(scope: TemplateScope, path: string): unknown {
  let value: unknown = scope;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function display(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : undefined;
  if (typeof value === 'boolean') return value ? 'ya' : 'tidak';
  if (typeof value === 'object') return undefined;
  return String(value);
}

/** Whether a text may read a value: without "{{" it renders as written, whatever the scope. */
export function hasPlaceholder(template: string): boolean {
  return template.includes('{{');
}

export function render(template: string, scope: TemplateScope): string {
  return template.replace(PLACEHOLDER, (_match, path: string, fallback: string | undefined) => {
    return display(lookup(scope, path)) ?? fallback ?? '';
  });
}

/** The paths a template reads, for validation. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
