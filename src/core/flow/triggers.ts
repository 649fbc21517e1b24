/**
 * Which flow a message starts. Phrases match as whole words anywhere in the message, ignoring case, accents
 * and punctuation; "/regex/flags" triggers match the text as written; ":image", ":media", ":location" and the
 * like match the kind of message. The longest match wins; ties go to the flow defined first.
 */
import { canonical } from '../text/normalize.js';
import { compileRegex, isRegexLiteral } from './regex.js';
import { MEDIA_KINDS, type Inbound, type InboundKind, type Trigger } from './types.js';

export const MESSAGE_KIND_TRIGGERS: Record<string, InboundKind | 'media'> = {
  ':media': 'media',
  ':image': 'image',
  ':video': 'video',
  ':audio': 'audio',
  ':document': 'document',
  ':location': 'location',
};

export const PRODUCT_TRIGGER = ':product';

const SURROUNDING_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu;

/** Compiles one trigger as written; throws SyntaxError for an invalid regular expression. */
export function compileTrigger(flow: string, source: string): Trigger {
  const messageKind = MESSAGE_KIND_TRIGGERS[source.trim().toLowerCase()];
  if (messageKind) return { kind: 'message', flow, messageKind, source };
  if (source.trim().toLowerCase() === PRODUCT_TRIGGER) return { kind: 'product', flow, source };
  if (isRegexLiteral(source)) return { kind: 'regex', flow, regex: compileRegex(source), source };
  return { kind: 'phrase', flow, phrase: canonical(source), source };
}

/** Length of the part of the message a trigger matches, or -1. `whole`: the trigger must be the entire message. */
function matchLength(trigger: Trigger, inbound: Inbound, message: string, whole: boolean, named?: { length: number }): number {
  switch (trigger.kind) {
    case 'message': {
      // A photo is never "exactly" a trigger: as an answer it is judged by the question's `expect`.
      if (whole) return -1;
      const kindMatches =
        trigger.messageKind === 'media' ? MEDIA_KINDS.has(inbound.kind) : trigger.messageKind === inbound.kind;
      return kindMatches ? 0 : -1;
    }
    case 'regex': {
      // "Ongkir?" matches /^ongkir$/ just as "harga?" matches the phrase "harga": punctuation around a message is no part of it.
      const text = inbound.text.replace(SURROUNDING_PUNCTUATION, '');
      const found = trigger.regex.exec(text)?.[0];
      if (found === undefined || (whole && found !== text)) return -1;
      return found.length;
    }
    case 'product':
      // The engine matched the catalogue (src/core/catalog/match.ts): the length of the product name named.
      return whole || !named ? -1 : named.length;
    case 'phrase': {
      if (!trigger.phrase) return -1;
      const matches = whole ? message === trigger.phrase : ` ${message} `.includes(` ${trigger.phrase} `);
      return matches ? trigger.phrase.length : -1;
    }
  }
}

/** The trigger that wins for this message, if any. `named`: the products the message names, for `:product`. */
export function findTrigger(triggers: Trigger[], inbound: Inbound, whole = false, named?: { length: number }): Trigger | undefined {
  const message = canonical(inbound.text);
  let best: Trigger | undefined;
  let bestLength = -1;
  for (const trigger of triggers) {
    const length = matchLength(trigger, inbound, message, whole, named);
    if (length > bestLength) {
      best = trigger;
      bestLength = length;
    }
  }
  return best;
}
