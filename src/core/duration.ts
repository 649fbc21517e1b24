/** Durations as owners write them: "30m", "2h", "3d", "1w", "1h30m". */

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
/** The units `writeDuration` uses, largest first: days rather than weeks, as owners mostly write them. */
const WRITTEN_UNITS = ['d', 'h', 'm', 's'] as const;

export const DURATION_PATTERN = /^(\d+[smhdw])+$/;
export const DURATION_HINT = 'a duration such as 30s, 30m, 2h, 3d or 1w';

/** Milliseconds for a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!DURATION_PATTERN.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * UNIT_MS[unit as string]!;
  }
  return total > 0 ? total : undefined;
}

/** A duration the way owners write it in the settings, e.g. "12h" or "1h30m"; `parseDuration` reads it back. */
export function writeDuration(ms: number): string {
  let left = ms;
  let text = '';
  for (const unit of WRITTEN_UNITS) {
    const count = Math.floor(left / UNIT_MS[unit]!);
    if (count) text += `${count}${unit}`;
    left -= count * UNIT_MS[unit]!;
  }
  return text || '0s';
}
