/** The inbox's words in the shop's language (settings.language), with `{name}` placeholders filled in. */
import { en } from './en.js';
import { id, type MessageKey } from './id.js';

export type Language = 'id' | 'en';
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { id, en };
/** For `lang` and Intl dates. */
export const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

export function translator(language: Language): Translate {
  const catalogue = CATALOGUES[language];
  return (key, values = {}) => catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** What a page needs to speak the shop's language: the words, the language for dates, the shop's time zone. */
export interface Locale {
  t: Translate;
  language: Language;
  zone: string;
}

export function localeOf(settings: { language: Language; timezone: string }): Locale {
  return { t: translator(settings.language), language: settings.language, zone: settings.timezone };
}
