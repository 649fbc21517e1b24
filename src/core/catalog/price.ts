/** Prices as shops write them in a spreadsheet: 12000, 12.000, Rp 12.000, Rp12.000,00, IDR 12,000. */

/** Whole rupiah, or undefined when the text is not a price. */
export function parsePrice(text: string): number | undefined {
  const bare = text.trim().replace(/^(rp\.?|idr)\s*/i, '').replace(/\s+/g, '');
  // Thousands grouped by dots (Indonesian) or commas (English), optionally with ",00" / ".00" cents.
  const match = /^(\d{1,3}(?:([.,])\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(bare);
  if (!match) return undefined;
  const [, whole, separator, cents] = match;
  const rupiah = Number(separator ? whole!.split(separator).join('') : whole);
  if (cents !== undefined && Number(cents) !== 0) return undefined;
  return Number.isSafeInteger(rupiah) ? rupiah : undefined;
}
