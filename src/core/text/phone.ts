/** Phone numbers as Indonesian shops write them, turned into WhatsApp's digits with country code. */

/** What people put between digits: `0812-3456 7890`, `(021) 555.1234`. */
const SEPARATORS = /[\s\-.()]/g;

const INDONESIA = '62';

/**
 * Digits with country code (`6281234567890`), or undefined when `text` is not a phone number.
 * `+` and the international prefix `00` are dropped, a local number's leading `0` becomes `62`, and a `0`
 * written after `62` (`+62 0812…`) is dropped. The result is 8–15 digits, the first not 0.
 */
export function normalizePhone(text: string): string | undefined {
  let digits = text.replace(SEPARATORS, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = INDONESIA + digits.slice(1);
  if (digits.startsWith(`${INDONESIA}0`)) digits = INDONESIA + digits.slice(INDONESIA.length + 1);
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : undefined;
}
