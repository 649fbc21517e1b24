/** Times as staff read them: "12 mnt" ago, and clock times in the shop's time zone and language ("Sen, 23 Nov 14.05"). */
import { localTime } from '../../core/flow/hours.js';
import { AUTO_RELEASE, SHOP_PHONE } from '../../staff/desk.js';
import { LOCALES, type Language, type Translate } from '../i18n/translate.js';

export function ago(ms: number, t: Translate): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('time.hours', { h: hours, m: minutes % 60 });
  return t('time.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

export function clockTime(at: number, zone: string, now: number, language: Language): string {
  const locale = LOCALES[language];
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  if (localTime(at, zone).isSame(localTime(now, zone), 'day')) return time;
  return `${new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(at)} ${time}`;
}

/** What a message was, for one-line previews: its text, or its kind when it has none. */
export function preview(text: string | null, kind: string | null, t: Translate): string {
  const label = kind && kind !== 'text' ? `[${kindLabel(kind, t)}] ` : '';
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return `${label}${line.length > 120 ? `${line.slice(0, 119)}…` : line}`;
}

/** Pictures and documents by their name in the shop's language; other kinds as stored. */
export function kindLabel(kind: string, t: Translate): string {
  return kind === 'image' || kind === 'document' ? t(`kind.${kind}`) : kind;
}

/** Who did something, as staff call them: the shop's phone and the automatic release in the shop's language. */
export function actorName(actor: string, t: Translate): string {
  if (actor === SHOP_PHONE) return t('actor.shopPhone');
  if (actor === AUTO_RELEASE) return t('actor.autoRelease');
  return actor;
}
