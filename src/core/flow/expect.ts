/**
 * Validation of answers to `ask` steps. A valid answer is saved in a normalised form
 * (numbers without thousands separators, dates as YYYY-MM-DD, phones as digits with country code).
 */
import { compileRegex } from './regex.js';
import { MEDIA_KINDS, type ExpectKind, type Inbound } from './types.js';

export const EXPECT_KINDS: readonly ExpectKind[] = ['text', 'number', 'email', 'phone', 'date', 'media', 'image', 'location'];

/** Numbers as Indonesians write them: "1.500.000" is one and a half million, "2,5" is two and a half. */
function number(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(compact)) return String(Number(compact.replace(/\./g, '').replace(',', '.')));
  if (/^[+-]?\d+([.,]\d+)?$/.test(compact)) return String(Number(compact.replace(',', '.')));
  return undefined;
}

function email(text: string): string | undefined {
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(text) ? text.toLowerCase() : undefined;
}

/** Phone numbers with a leading 0 are Indonesian: 0812… becomes 62812…. */
function phone(text: string): string | undefined {
  if (!/^\+?[\d\s().-]+$/.test(text)) return undefined;
  let digits = text.replace(/\D/g, '');
  if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  return digits.length >= 8 && digits.length <= 15 ? digits : undefined;
}

function date(text: string): string | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const [year, month, day] = m ? [m[1], m[2], m[3]] : ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)) ? [m[3], m[2], m[1]] : []);
  if (!year || !month || !day) return undefined;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

/** The value to save for a valid answer, or undefined when the answer does not fit `expect`. */
export function acceptAnswer(expect: string, inbound: Inbound): string | undefined {
  const text = inbound.text.trim();
  switch (expect) {
    case 'media':
      return MEDIA_KINDS.has(inbound.kind) ? text || `[${inbound.kind}]` : undefined;
    case 'image':
      return inbound.kind === 'image' ? text || '[image]' : undefined;
    case 'location':
      return inbound.location ? `${inbound.location.latitude},${inbound.location.longitude}` : undefined;
  }
  if (inbound.kind !== 'text' && !text) return undefined;
  switch (expect) {
    case 'text':
      return text || undefined;
    case 'number':
      return number(text);
    case 'email':
      return email(text);
    case 'phone':
      return phone(text);
    case 'date':
      return date(text);
    default:
      return compileRegex(expect).test(text) ? text : undefined;
  }
}
