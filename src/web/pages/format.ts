/** Times as staff read them: "12 min" ago, and clock times in the shop's time zone. */
import { localTime } from '../../core/flow/hours.js';

export function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function clockTime(at: number, zone: string, now: number): string {
  const time = localTime(at, zone);
  return time.isSame(localTime(now, zone), 'day') ? time.format('HH:mm') : time.format('D MMM HH:mm');
}

/** What a message was, for one-line previews: its text, or its kind when it has none. */
export function preview(text: string | null, kind: string | null): string {
  const label = kind && kind !== 'text' ? `[${kind}] ` : '';
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return `${label}${line.length > 120 ? `${line.slice(0, 119)}…` : line}`;
}
