/** Conditions in `if` steps (and, later, check-in rules): data only, never JavaScript. */
import { compileRegex } from './regex.js';
import type { Product } from '../catalog/types.js';
import type { Condition, Customer } from './types.js';

export interface ConditionContext {
  customer: Customer;
  openNow: boolean;
  /** The product the conversation is about (see the `:product` trigger), if any. */
  product?: Product;
}

function compare(value: number | undefined, test: { gte?: number; lte?: number; equals?: number }): boolean {
  if (value === undefined || Number.isNaN(value)) return false;
  if (test.equals !== undefined && value !== test.equals) return false;
  if (test.gte !== undefined && value < test.gte) return false;
  if (test.lte !== undefined && value > test.lte) return false;
  return true;
}

function varCondition(cond: Extract<Condition, { var: string }>, customer: Customer): boolean {
  const value = cond.var === 'customer.name' ? customer.name ?? undefined : customer.vars[cond.var];
  const present = value !== undefined && value !== '';
  if (cond.exists !== undefined && present !== cond.exists) return false;
  if (!present) return cond.exists === false;
  if (cond.equals !== undefined && value.trim().toLowerCase() !== String(cond.equals).trim().toLowerCase()) return false;
  if (cond.matches !== undefined && !compileRegex(cond.matches).test(value)) return false;
  if (cond.gte !== undefined || cond.lte !== undefined) return compare(Number(value.replace(",", ".")), { gte: cond.gte, lte: cond.lte });
  return true;
}

export function evaluate(cond: Condition, ctx: ConditionContext): boolean {
  if (cond === 'open_now') return ctx.openNow;
  if (cond === 'closed_now') return !ctx.openNow;
  if (cond === 'product_found') return ctx.product !== undefined;
  if (cond === 'product_in_stock') return ctx.product !== undefined && (ctx.product.stock === null || ctx.product.stock > 0);
  if ('all' in cond) return cond.all.every((c) => evaluate(c, ctx));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, ctx));
  if ('not' in cond) return !evaluate(cond.not, ctx);
  if ('tag' in cond) return ctx.customer.tags.includes(cond.tag);
  if ('counter' in cond) return compare(ctx.customer.counters[cond.counter] ?? 0, cond);
  return varCondition(cond, ctx.customer);
}
