/**
 * Validation of answers to `ask` steps. A valid answer is saved in a normalised form
 * (numbers as digits without thousands separators, dates as YYYY-MM-DD, phones as digits with country code).
 */
import { parseDate } from '../text/dates.js';
import { parseNumber } from '../text/number-words.js';
import { localTime } from './hours.js';
import { compileRegex } from './regex.js';
import { MEDIA_KINDS, type ExpectKind, type Inbound } from './types.js';

/** What answers are read against: "besok" depends on the moment and the shop's time zone. */
export interface AnswerContext {
  now: number;
  timezone: string;
}

export const EXPECT_KINDS: readonly ExpectKind[] = ['text', 'number', 'email', 'phone', 'date', 'media', 'image', 'location', 'product'];

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

/** The value to save for a valid answer, or undefined when the answer does not fit `expect`. */
export function acceptAnswer(expect: string, inbound: Inbound, context: AnswerContext): string | undefined {
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
    case 'number': {
      const n = parseNumber(text);
      return n === undefined ? undefined : String(n);
    }
    case 'email':
      return email(text);
    case 'phone':
      return phone(text);
    case 'date':
      return parseDate(text, localTime(context.now, context.timezone).format('YYYY-MM-DD'));
    default:
      return compileRegex(expect).test(text) ? text : undefined;
  }
}
